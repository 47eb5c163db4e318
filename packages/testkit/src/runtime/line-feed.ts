import type { LogLine } from '@helixstack/sdk';

/** The last `capacity` lines of one fake instance, readable once or followed. */
export class LineFeed {
  readonly #capacity: number;
  readonly #lines: LogLine[] = [];
  readonly #listeners = new Set<() => void>();
  #dropped = 0;
  #ended = false;

  constructor(capacity = 5000) {
    this.#capacity = capacity;
  }

  push(stream: LogLine['stream'], text: string): void {
    this.#lines.push({ time: new Date().toISOString(), stream, text });
    if (this.#lines.length > this.#capacity) {
      this.#lines.shift();
      this.#dropped += 1;
    }
    this.#notify();
  }

  /** No more lines: followers finish. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  async *read(options: { since?: string; follow?: boolean }, signal: AbortSignal): AsyncGenerator<LogLine> {
    const sinceMs = options.since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.since);
    let next = this.#dropped;
    for (;;) {
      while (next - this.#dropped < this.#lines.length) {
        // Lines dropped while this reader waited are skipped.
        next = Math.max(next, this.#dropped);
        const line = this.#lines[next - this.#dropped]!;
        next += 1;
        if (Date.parse(line.time) >= sinceMs) yield line;
        if (signal.aborted) return;
      }
      if (!options.follow || this.#ended || signal.aborted) return;
      await this.#changed(signal);
    }
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
