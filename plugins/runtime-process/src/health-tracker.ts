import { isHealthyStatus, type ProbeResult } from './health-probe.ts';

/** Failed probes in a row before a healthy instance is reported unhealthy. */
const failuresBeforeUnhealthy = 3;

/**
 * Turns health probe results into `healthy` and a message a user can act on. Before the
 * first success any answer but 2xx/3xx keeps it unhealthy; once healthy, a few failures
 * in a row are needed to take it out of traffic, so one slow answer does not.
 */
export class HealthTracker {
  readonly #path: string;
  readonly #port: number;
  #healthy = false;
  #listening = false;
  #failures = 0;
  #message = '';

  constructor(path: string, port: number) {
    this.#path = path;
    this.#port = port;
    this.reset();
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  /** The app answered HTTP at all (whatever the status): its endpoint exists. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Why it is not healthy; undefined while healthy. */
  get message(): string | undefined {
    return this.#healthy ? undefined : this.#message;
  }

  /** A new process: nothing is known about it yet. */
  reset(): void {
    this.#healthy = false;
    this.#listening = false;
    this.#failures = 0;
    this.#message = `waiting for the app to answer GET ${this.#path} on port ${this.#port}`;
  }

  /** Records one probe; returns what changed, for the deployment's log. */
  apply(result: ProbeResult): 'healthy' | 'unhealthy' | undefined {
    if ('status' in result) this.#listening = true;
    if ('status' in result && isHealthyStatus(result.status)) {
      const changed = !this.#healthy;
      this.#healthy = true;
      this.#failures = 0;
      return changed ? 'healthy' : undefined;
    }
    if (!this.#healthy) {
      this.#message =
        'status' in result
          ? `the app answered GET ${this.#path} with ${result.status} on port ${this.#port}; waiting for a 2xx or 3xx answer`
          : `waiting for the app to answer GET ${this.#path} on port ${this.#port}`;
      return undefined;
    }
    this.#failures += 1;
    if (this.#failures < failuresBeforeUnhealthy) return undefined;
    const answer = 'status' in result ? `answered ${result.status}` : `gave no answer (${result.error})`;
    this.#healthy = false;
    this.#message = `unhealthy: GET ${this.#path} on port ${this.#port} ${answer} ${this.#failures} times in a row`;
    return 'unhealthy';
  }
}
