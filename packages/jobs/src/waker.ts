import { EventEmitter } from 'node:events';

/**
 * Tells the workers of this process that a job may have become claimable (enqueued, or its
 * concurrency key freed), so they claim at once instead of at their next poll. Workers in
 * other processes still find the job by polling.
 */
export class JobWaker {
  readonly #events = new EventEmitter();

  constructor() {
    // Each worker of the process listens; more than ten is normal, not a leak.
    this.#events.setMaxListeners(0);
  }

  notify(): void {
    this.#events.emit('wake');
  }

  /** Returns the function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.#events.on('wake', listener);
    return () => this.#events.off('wake', listener);
  }
}
