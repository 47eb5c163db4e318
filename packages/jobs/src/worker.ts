import { positiveInteger } from './conditions.ts';
import { JobLease } from './job-lease.ts';
import { describeError, isRetryable } from './outcome.ts';
import type { JobQueue } from './queue.ts';
import type { Job } from './types.ts';

export interface JobContext {
  /** Aborts when the job is canceled, its lease is lost, or the worker shuts down. */
  signal: AbortSignal;
  /** Renews the lease now (heartbeats also run in the background); aborts `signal` if needed. */
  heartbeat(): Promise<void>;
}

/**
 * Does the work of one job. Resolving completes the job; throwing fails it, and the failure
 * is retried only when the error has `details.retryable === true` (see isRetryable).
 */
export type JobHandler = (job: Job, context: JobContext) => Promise<void>;

export interface WorkerOptions {
  queue: JobQueue;
  /** Unique per worker instance (say host, pid and a counter): leases are checked against it. */
  workerId: string;
  kinds: readonly string[];
  leaseMs: number;
  /** How often to look for work that other processes enqueued; this process's enqueues wake it at once. */
  pollMs: number;
  /** How many jobs this worker runs at once. */
  concurrency: number;
  handler: JobHandler;
  /** How long stop() waits for running handlers before giving their jobs back; 10 s when omitted. */
  stopTimeoutMs?: number;
  /** Told about errors that do not stop the worker (database unreachable, lease lost at the end). */
  onError?: (error: unknown, job?: Job) => void;
}

interface ActiveJob {
  job: Job;
  lease: JobLease;
  done: Promise<void>;
}

/** After aborting a handler on shutdown, how long to let it wind down before another worker may start the job. */
const shutdownGraceMs = 1000;

/** Claims jobs and runs them with heartbeats, as many at once as `concurrency` allows. */
export class Worker {
  readonly #options: WorkerOptions;
  readonly #onError: (error: unknown, job?: Job) => void;
  // By entry, not job id: after a lost lease this worker may claim the same job again
  // while the old handler is still winding down.
  readonly #active = new Set<ActiveJob>();
  #running = false;
  #unsubscribe: (() => void) | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #passAgain = false;

  constructor(options: WorkerOptions) {
    for (const name of ['leaseMs', 'pollMs', 'concurrency'] as const) positiveInteger(name, options[name]);
    this.#options = options;
    this.#onError = options.onError ?? ((error) => console.error('job worker:', error));
  }

  /** The jobs this worker is running now. */
  get activeJobIds(): string[] {
    return [...this.#active].map((active) => active.job.id);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#options.queue.onWake(() => this.#wake());
    this.#wake();
  }

  /**
   * Stops claiming, waits up to `timeoutMs` for running handlers to finish, then aborts the
   * rest and puts their jobs back in the queue, where another worker takes them at once.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#options.stopTimeoutMs ?? 10_000;
    this.#running = false;
    this.#unsubscribe?.();
    clearTimeout(this.#pollTimer);
    await this.#pass;
    if (await settlesWithin(this.#doneOfActive(), timeoutMs)) return;
    const left = [...this.#active];
    for (const { lease } of left) lease.abort('shutdown');
    await settlesWithin(this.#doneOfActive(), Math.min(shutdownGraceMs, timeoutMs));
    const { queue, workerId } = this.#options;
    await Promise.all(
      left.map(({ job }) => queue.release(job.id, workerId).catch((error) => this.#onError(error, job))),
    );
  }

  #wake(): void {
    if (!this.#running) return;
    if (this.#pass) {
      this.#passAgain = true;
      return;
    }
    clearTimeout(this.#pollTimer);
    this.#pass = this.#claimWhileFree().finally(() => {
      this.#pass = undefined;
      if (!this.#running) return;
      if (this.#passAgain) {
        this.#passAgain = false;
        this.#wake();
      } else {
        this.#pollTimer = setTimeout(() => this.#wake(), this.#options.pollMs);
      }
    });
  }

  async #claimWhileFree(): Promise<void> {
    const { queue, workerId, kinds, leaseMs, concurrency } = this.#options;
    try {
      while (this.#running && this.#active.size < concurrency) {
        const job = await queue.claim({ workerId, kinds, leaseMs });
        if (!job) return;
        if (!this.#running) {
          await queue.release(job.id, workerId);
          return;
        }
        this.#run(job);
      }
    } catch (error) {
      this.#onError(error);
    }
  }

  #run(job: Job): void {
    const { queue, workerId, leaseMs } = this.#options;
    const lease = new JobLease(queue, job, {
      workerId,
      leaseMs,
      onError: (error) => this.#onError(error, job),
    });
    lease.start();
    const active: ActiveJob = { job, lease, done: Promise.resolve() };
    active.done = this.#execute(job, lease)
      .catch((error) => this.#onError(error, job))
      .finally(() => {
        this.#active.delete(active);
        this.#wake();
      });
    this.#active.add(active);
  }

  async #execute(job: Job, lease: JobLease): Promise<void> {
    const { queue, workerId, handler } = this.#options;
    let failure: { error: unknown } | undefined;
    try {
      await handler(job, { signal: lease.signal, heartbeat: () => lease.renew() });
    } catch (error) {
      failure = { error };
    }
    lease.stop();
    // Lost: another worker may hold the job now. Shutdown: stop() gives it back.
    if (lease.stopReason === 'lease-lost' || lease.stopReason === 'shutdown') return;
    if (lease.stopReason === 'canceled') await queue.canceled(job.id, workerId);
    else if (failure) {
      const retryable = isRetryable(failure.error);
      await queue.fail(job.id, workerId, describeError(failure.error), { retryable });
    } else await queue.complete(job.id, workerId);
  }

  #doneOfActive(): Promise<unknown> {
    return Promise.allSettled([...this.#active].map((active) => active.done));
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
