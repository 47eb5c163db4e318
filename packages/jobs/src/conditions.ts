import { jobs } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, eq, type SQL, sql } from 'drizzle-orm';

/** A time `ms` after the database's clock: every process compares leases on that one clock. */
export function fromNow(ms: number): SQL {
  return sql`now() + ${ms} * interval '1 millisecond'`;
}

/** The job is running under this worker's lease. */
export function heldBy(jobId: string, workerId: string): SQL {
  return and(eq(jobs.id, jobId), eq(jobs.state, 'running'), eq(jobs.leaseOwner, workerId))!;
}

/** What a job that leaves the running state no longer has. */
export const noLease = { leaseOwner: null, leaseExpiresAt: null, updatedAt: sql`now()` } as const;

export function leaseLost(jobId: string, workerId: string): HelixError {
  return new HelixError(
    'HLX_JOB_LEASE_LOST',
    `Worker ${workerId} no longer holds job ${jobId}: its lease expired and the job was retried, or it finished.`,
    { jobId, workerId },
  );
}

export function isLeaseLost(error: unknown): boolean {
  return error instanceof HelixError && error.code === 'HLX_JOB_LEASE_LOST';
}

export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new HelixError('HLX_VALIDATION', `${name} must be a positive integer, got ${value}.`, {
      field: name,
    });
  }
  return value;
}
