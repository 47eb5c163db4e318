import { type Database, isUniqueViolation, jobs } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, inArray, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { fromNow, positiveInteger } from './conditions.ts';
import type { ClaimInput, Job } from './types.ts';

/**
 * Two workers may each lock a different queued job of the same key in the same instant; the
 * one-running-per-key index lets one through and refuses the other, which then looks again
 * (and now sees the key taken). A few rounds settle any such race.
 */
const maxRounds = 8;

/** Takes the oldest claimable job, or returns null when none is claimable now. */
export async function claimJob(db: Database, input: ClaimInput): Promise<Job | null> {
  if (input.kinds.length === 0) {
    throw new HelixError('HLX_VALIDATION', 'A worker must handle at least one job kind.', { field: 'kinds' });
  }
  positiveInteger('leaseMs', input.leaseMs);
  for (let round = 0; round < maxRounds; round++) {
    try {
      const [job] = await claimStatement(db, input);
      return job ?? null;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return null;
}

function claimStatement(db: Database, { workerId, kinds, leaseMs }: ClaimInput) {
  const running = alias(jobs, 'running');
  const keyIsBusy = db
    .select({ one: sql`1` })
    .from(running)
    .where(and(eq(running.concurrencyKey, jobs.concurrencyKey), eq(running.state, 'running')));
  // SKIP LOCKED: workers that look at once take different rows instead of queueing behind one.
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.state, 'queued'),
        lte(jobs.runAfter, sql`now()`),
        inArray(jobs.kind, [...kinds]),
        notExists(keyIsBusy),
      ),
    )
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({
      state: 'running',
      leaseOwner: workerId,
      leaseExpiresAt: fromNow(leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(sql`${jobs.id} = (${candidate})`, eq(jobs.state, 'queued')))
    .returning();
}
