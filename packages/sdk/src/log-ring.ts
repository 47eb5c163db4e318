import type { LogLine } from './contracts/index.ts';

/**
 * The last `capacity` output lines of one deployment, across restarts: what a Runtime's
 * `logs()` reads from. Readers get a
 * snapshot or follow new lines; a follower that falls more than `capacity` lines behind
 * is told how many it missed instead of holding memory for it.
 */
export class LogRing {
  readonly #capacity: number;
  #lines: LogLine[] = [];
  /** Number of lines dropped from the front since the ring was created. */
  #dropped = 0;
  #ended = false;
  readonly #listeners = new Set<() => void>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(stream: LogLine['stream'], text: string): void {
    this.#lines.push({ time: new Date().toISOString(), stream, text });
    // Trim in batches so that each line costs O(1) on average.
    if (this.#lines.length >= this.#capacity * 2) {
      const excess = this.#lines.length - this.#capacity;
      this.#lines = this.#lines.slice(excess);
      this.#dropped += excess;
    }
    this.#notify();
  }

  /** No more lines will come (the deployment is destroyed): followers finish. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  get ended(): boolean {
    return this.#ended;
  }

  async *read(options: { since?: string; follow?: boolean }, signal: AbortSignal): AsyncGenerator<LogLine> {
    const sinceMs = options.since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.since);
    let next = this.#oldestKept();
    for (;;) {
      while (next < this.#total()) {
        const oldest = this.#oldestKept();
        if (next < oldest) {
          const text = `${oldest - next} lines skipped: this reader fell behind the newest ${this.#capacity}`;
          next = oldest;
          yield { time: new Date().toISOString(), stream: 'system', text };
        } else {
          const line = this.#lines[next - this.#dropped]!;
          next += 1;
          if (Date.parse(line.time) >= sinceMs) yield line;
        }
        if (signal.aborted) return;
      }
      if (!options.follow || this.#ended || signal.aborted) return;
      await this.#changed(signal);
    }
  }

  #total(): number {
    return this.#dropped + this.#lines.length;
  }

  #oldestKept(): number {
    return Math.max(this.#dropped, this.#total() - this.#capacity);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#listeners.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#listeners.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
