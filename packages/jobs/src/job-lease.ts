import { isLeaseLost, leaseLost } from './conditions.ts';
import type { JobQueue } from './queue.ts';
import type { Job } from './types.ts';

/** Why a handler's signal was aborted. */
export type StopReason = 'canceled' | 'lease-lost' | 'shutdown';

/** The reason a handler's AbortSignal carries, so that `signal.throwIfAborted()` says why. */
export class JobStoppedError extends Error {
  readonly reason: StopReason;

  constructor(reason: StopReason, jobId: string, cause?: unknown) {
    super(`Job ${jobId} was stopped: ${reason}.`, { cause });
    this.name = 'JobStoppedError';
    this.reason = reason;
  }
}

/**
 * Keeps one job's lease alive while its handler runs: a heartbeat every leaseMs/3, so two
 * may be lost before the lease lapses. Aborts the handler's signal when the job is
 * canceled or the lease is lost. If the database cannot be reached for a whole lease, the
 * worker must assume another took the job, so that counts as lost too.
 */
export class JobLease {
  readonly #queue: JobQueue;
  readonly #job: Job;
  readonly #workerId: string;
  readonly #leaseMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #renewing = false;
  #renewedAt = Date.now();
  #stopReason: StopReason | undefined;

  constructor(
    queue: JobQueue,
    job: Job,
    options: { workerId: string; leaseMs: number; onError: (error: unknown) => void },
  ) {
    this.#queue = queue;
    this.#job = job;
    this.#workerId = options.workerId;
    this.#leaseMs = options.leaseMs;
    this.#onError = options.onError;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopReason(): StopReason | undefined {
    return this.#stopReason;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(this.#leaseMs / 3)));
  }

  /** Ends the heartbeats; the worker then completes, fails or releases the job. */
  stop(): void {
    clearInterval(this.#timer);
  }

  /** Renews now. After a cancellation it goes on renewing so the handler can wind down. */
  async renew(): Promise<void> {
    if (this.#stopReason === 'lease-lost' || this.#stopReason === 'shutdown') return;
    this.#renewing = true;
    try {
      const { canceled } = await this.#queue.heartbeat(this.#job.id, this.#workerId, this.#leaseMs);
      this.#renewedAt = Date.now();
      if (canceled) this.abort('canceled');
    } catch (error) {
      if (isLeaseLost(error)) this.abort('lease-lost', error);
      else this.#onError(error);
    } finally {
      this.#renewing = false;
    }
  }

  abort(reason: StopReason, cause?: unknown): void {
    // A later, harder reason wins: a canceled job whose lease is then lost is not ours to mark.
    if (this.#stopReason === reason || this.#stopReason === 'lease-lost') return;
    this.#stopReason = reason;
    if (reason !== 'canceled') this.stop();
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(new JobStoppedError(reason, this.#job.id, cause));
    }
  }

  #tick(): void {
    if (Date.now() - this.#renewedAt >= this.#leaseMs) {
      this.abort('lease-lost', leaseLost(this.#job.id, this.#workerId));
      return;
    }
    // A heartbeat stuck on a slow database is not stacked with more.
    if (!this.#renewing) void this.renew();
  }
}
