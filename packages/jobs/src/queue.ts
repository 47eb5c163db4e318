import { type Database, jobs, newId } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { type Backoff, exponentialBackoff } from './backoff.ts';
import { claimJob } from './claim.ts';
import { fromNow, heldBy, leaseLost, noLease, positiveInteger } from './conditions.ts';
import type { ClaimInput, EnqueueInput, FailOptions, Job, ListInput } from './types.ts';
import { JobWaker } from './waker.ts';

export interface JobQueueOptions {
  /** Delay before a retry; exponential from 1 s to 60 s with jitter when omitted. */
  backoff?: Backoff;
  /** Shared by the queues of one process so their workers wake each other; one per queue otherwise. */
  waker?: JobWaker;
}

/** The message a job keeps when its worker stopped heartbeating. */
export const leaseExpiredError = 'lease expired: the worker stopped responding';
/** last_error is for people; a failure's full output belongs in the build log. */
const maxErrorLength = 4000;

/**
 * The durable job queue: jobs are rows, a worker holds a job by a lease that heartbeats
 * renew, and every state change is one conditional UPDATE, so any number of workers in any
 * number of processes can share one Postgres database.
 */
export class JobQueue {
  readonly #db: Database;
  readonly #backoff: Backoff;
  readonly #waker: JobWaker;

  constructor(db: Database, options: JobQueueOptions = {}) {
    this.#db = db;
    this.#backoff = options.backoff ?? exponentialBackoff();
    this.#waker = options.waker ?? new JobWaker();
  }

  async enqueue(input: EnqueueInput): Promise<Job> {
    const [job] = await this.#db
      .insert(jobs)
      .values({
        id: newId('job'),
        kind: input.kind,
        concurrencyKey: input.concurrencyKey,
        deploymentId: input.deploymentId ?? null,
        payload: input.payload ?? {},
        maxAttempts: positiveInteger('maxAttempts', input.maxAttempts ?? 3),
        ...(input.runAfter ? { runAfter: input.runAfter } : {}),
      })
      .returning();
    this.notify();
    return job!;
  }

  /** Puts back jobs of dead workers first, so that they are retried rather than lost. */
  async claim(input: ClaimInput): Promise<Job | null> {
    await this.reapExpired();
    return claimJob(this.#db, input);
  }

  /** Renews the lease; tells the worker whether someone asked to cancel the job. */
  async heartbeat(jobId: string, workerId: string, leaseMs: number): Promise<{ canceled: boolean }> {
    positiveInteger('leaseMs', leaseMs);
    const [row] = await this.#db
      .update(jobs)
      .set({ leaseExpiresAt: fromNow(leaseMs), updatedAt: sql`now()` })
      .where(heldBy(jobId, workerId))
      .returning({ cancelRequested: jobs.cancelRequested });
    if (!row) throw leaseLost(jobId, workerId);
    return { canceled: row.cancelRequested };
  }

  async complete(jobId: string, workerId: string): Promise<Job> {
    return this.#finish(jobId, workerId, { state: 'succeeded', lastError: null });
  }

  /**
   * A retryable failure with attempts left goes back to the queue after the backoff;
   * otherwise the job fails. A job whose cancellation was asked for ends canceled.
   */
  async fail(jobId: string, workerId: string, error: string, options: FailOptions): Promise<Job> {
    const job = await this.get(jobId);
    if (!job) throw leaseLost(jobId, workerId);
    const retry = sql`(${options.retryable} AND NOT ${jobs.cancelRequested} AND ${jobs.attempts} < ${jobs.maxAttempts})`;
    return this.#finish(
      jobId,
      workerId,
      {
        state: sql`CASE WHEN ${jobs.cancelRequested} THEN 'canceled' WHEN ${retry} THEN 'queued' ELSE 'failed' END`,
        runAfter: sql`CASE WHEN ${retry} THEN ${fromNow(this.#backoff(job.attempts))} ELSE ${jobs.runAfter} END`,
        lastError: error.slice(0, maxErrorLength),
      },
      // The delay was computed for this attempt; a newer claim would be someone else's.
      eq(jobs.attempts, job.attempts),
    );
  }

  /** The worker stopped a job whose cancellation was asked for. */
  async canceled(jobId: string, workerId: string): Promise<Job> {
    return this.#finish(jobId, workerId, { state: 'canceled' });
  }

  /**
   * Gives a running job back on a clean shutdown: queued for another worker at once, and the
   * attempt it had does not count, since the job did not fail.
   */
  async release(jobId: string, workerId: string): Promise<Job> {
    return this.#finish(jobId, workerId, {
      state: sql`CASE WHEN ${jobs.cancelRequested} THEN 'canceled' ELSE 'queued' END`,
      attempts: sql`GREATEST(${jobs.attempts} - 1, 0)`,
      runAfter: sql`now()`,
    });
  }

  /** A queued job is canceled at once; a running one is asked to stop at its next heartbeat. */
  async cancel(jobId: string): Promise<Job> {
    const [job] = await this.#db
      .update(jobs)
      .set({
        state: sql`CASE WHEN ${jobs.state} = 'queued' THEN 'canceled' ELSE ${jobs.state} END`,
        cancelRequested: true,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, jobId), sql`${jobs.state} IN ('queued', 'running')`))
      .returning();
    if (job) return job;
    // Unknown, or already over: canceling is then a no-op that reports the final state.
    const finished = await this.get(jobId);
    if (!finished) throw new HelixError('HLX_NOT_FOUND', `No job ${jobId}.`);
    return finished;
  }

  /** Running jobs whose lease expired go back to the queue (or fail when out of attempts). */
  async reapExpired(): Promise<string[]> {
    const reaped = await this.#db
      .update(jobs)
      .set({
        state: sql`CASE WHEN ${jobs.cancelRequested} THEN 'canceled' WHEN ${jobs.attempts} < ${jobs.maxAttempts} THEN 'queued' ELSE 'failed' END`,
        lastError: leaseExpiredError,
        ...noLease,
      })
      .where(and(eq(jobs.state, 'running'), lt(jobs.leaseExpiresAt, sql`now()`)))
      .returning({ id: jobs.id });
    if (reaped.length > 0) this.notify();
    return reaped.map((row) => row.id);
  }

  async get(jobId: string): Promise<Job | undefined> {
    const [job] = await this.#db.select().from(jobs).where(eq(jobs.id, jobId));
    return job;
  }

  async list(input: ListInput = {}): Promise<Job[]> {
    const filters = [
      input.deploymentId === undefined ? undefined : eq(jobs.deploymentId, input.deploymentId),
      input.state === undefined ? undefined : eq(jobs.state, input.state),
    ];
    return this.#db
      .select()
      .from(jobs)
      .where(and(...filters))
      .orderBy(asc(jobs.createdAt), asc(jobs.id))
      .limit(positiveInteger('limit', input.limit ?? 100));
  }

  /** Wakes this process's workers; call it when something outside the queue freed work. */
  notify(): void {
    this.#waker.notify();
  }

  /** Called when a job may have become claimable; returns the function that unsubscribes. */
  onWake(listener: () => void): () => void {
    return this.#waker.subscribe(listener);
  }

  /** Moves a job this worker holds out of running; every such move may free its key. */
  async #finish(
    jobId: string,
    workerId: string,
    changes: PgUpdateSetSource<typeof jobs>,
    guard?: SQL,
  ): Promise<Job> {
    const [job] = await this.#db
      .update(jobs)
      .set({ ...changes, ...noLease })
      .where(and(heldBy(jobId, workerId), guard))
      .returning();
    if (!job) throw leaseLost(jobId, workerId);
    this.notify();
    return job;
  }
}
