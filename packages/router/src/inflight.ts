/**
 * Counts requests in flight per deployment so a rollout can wait until the deployment it
 * replaced has finished every request it accepted before stopping its instances.
 */
export class InflightTracker {
  #counts = new Map<string, number>();
  #waiters = new Map<string, Array<() => void>>();
  #total = 0;
  #allWaiters: Array<() => void> = [];

  start(deploymentId: string): void {
    this.#counts.set(deploymentId, (this.#counts.get(deploymentId) ?? 0) + 1);
    this.#total++;
  }

  end(deploymentId: string): void {
    const count = (this.#counts.get(deploymentId) ?? 0) - 1;
    this.#total--;
    if (count > 0) this.#counts.set(deploymentId, count);
    else {
      this.#counts.delete(deploymentId);
      const waiters = this.#waiters.get(deploymentId);
      if (waiters) {
        this.#waiters.delete(deploymentId);
        for (const wake of waiters) wake();
      }
    }
    if (this.#total === 0 && this.#allWaiters.length > 0) {
      const waiters = this.#allWaiters;
      this.#allWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  count(deploymentId: string): number {
    return this.#counts.get(deploymentId) ?? 0;
  }

  get total(): number {
    return this.#total;
  }

  /** Resolves once the deployment has no request in flight (at once if it has none). */
  drained(deploymentId: string): Promise<void> {
    if (!this.#counts.has(deploymentId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(deploymentId);
      if (waiters) waiters.push(resolve);
      else this.#waiters.set(deploymentId, [resolve]);
    });
  }

  /** Resolves once no request of any deployment is in flight. */
  allDrained(): Promise<void> {
    if (this.#total === 0) return Promise.resolve();
    return new Promise((resolve) => this.#allWaiters.push(resolve));
  }
}
