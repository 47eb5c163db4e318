import type { LogSource, LogStore, LogStream, NewLogLine } from '@helixstack/logs';

const flushEveryMs = 100;
const flushAtLines = 200;

/**
 * Buffers log lines of one deployment and stores them in small batches, so a chatty
 * build does not cost one insert per line, and readers still see lines within 100 ms.
 */
export class LogWriter {
  readonly #store: LogStore;
  readonly #deploymentId: string;
  #pending: NewLogLine[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: LogStore, deploymentId: string) {
    this.#store = store;
    this.#deploymentId = deploymentId;
  }

  write(source: LogSource, stream: LogStream, text: string, time = new Date()): void {
    this.#pending.push({ source, stream, text, time });
    if (this.#pending.length >= flushAtLines) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), flushEveryMs);
  }

  system(text: string): void {
    this.write('system', 'system', text);
  }

  /** Stores what is buffered; resolves once every earlier line is stored. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(() => this.#store.append(this.#deploymentId, batch)).catch(() => {});
    return this.#flushing;
  }
}
