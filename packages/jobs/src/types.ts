import type { jobs } from '@helixstack/db';

/** A row of the jobs table, as the queue returns it. */
export type Job = typeof jobs.$inferSelect;

export interface EnqueueInput {
  /** What the job does; workers claim only the kinds they handle (say 'build'). */
  kind: string;
  /** At most one job per key runs at a time; builds use `<project id>:<environment id>`. */
  concurrencyKey: string;
  deploymentId?: string | undefined;
  payload?: Record<string, unknown> | undefined;
  /** How many times the job may be claimed in all, retries included; 3 when omitted. */
  maxAttempts?: number | undefined;
  /** Not claimed before this time; now when omitted. */
  runAfter?: Date | undefined;
}

export interface ClaimInput {
  /** Unique per running worker: the lease is checked against it. */
  workerId: string;
  kinds: readonly string[];
  /** How long the lease holds without a heartbeat. */
  leaseMs: number;
}

export interface FailOptions {
  /** A retryable failure is tried again while attempts remain; any other ends the job. */
  retryable: boolean;
}

export interface ListInput {
  deploymentId?: string | undefined;
  state?: Job['state'] | undefined;
  /** At most this many, oldest first; 100 when omitted. */
  limit?: number | undefined;
}
