/** One request as the router saw it; stored with the deployment id for analytics and logs. */
export interface AccessRecord {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  host: string;
  /** Empty when no deployment served the request (unknown host). */
  deploymentId: string;
  projectId: string;
  method: string;
  /** Path and query as received. */
  path: string;
  status: number;
  durationMs: number;
  /** Bytes read from the client connection for this request, head included. */
  bytesIn: number;
  /** Bytes written to the client connection for this request, head included. */
  bytesOut: number;
  requestId: string;
}

/** Receives every access record. Called on the request path, so it must return at once. */
export interface AccessSink {
  record(record: AccessRecord): void;
}

export interface BatchingAccessSinkOptions {
  /** Stores one batch. A rejected promise loses that batch (counted in `failedBatches`). */
  flush: (records: AccessRecord[]) => Promise<void> | void;
  /** Records held at most; past it new records are dropped and counted. Default 10,000. */
  maxBuffered?: number;
  /** A batch is flushed as soon as this many records wait. Default 500. */
  batchSize?: number;
  /** Records that wait less than a full batch are flushed after this long. Default 1,000 ms. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Buffers records in memory and hands them to `flush` in batches, off the request path.
 * When the buffer is full it drops rather than blocks: a slow store must never slow traffic.
 */
export class BatchingAccessSink implements AccessSink {
  #buffer: AccessRecord[] = [];
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  #closed = false;
  #dropped = 0;
  #failedBatches = 0;
  readonly #options: Required<Omit<BatchingAccessSinkOptions, 'onError'>> & {
    onError: (error: unknown) => void;
  };

  constructor(options: BatchingAccessSinkOptions) {
    this.#options = {
      maxBuffered: 10_000,
      batchSize: 500,
      intervalMs: 1000,
      onError: () => {},
      ...options,
    };
  }

  record(record: AccessRecord): void {
    if (this.#closed || this.#buffer.length >= this.#options.maxBuffered) {
      this.#dropped++;
      return;
    }
    this.#buffer.push(record);
    if (this.#buffer.length >= this.#options.batchSize) this.#scheduleSoon();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#drainInBackground(), this.#options.intervalMs);
      this.#timer.unref();
    }
  }

  /** Records dropped because the buffer was full or the sink closed. */
  get dropped(): number {
    return this.#dropped;
  }

  get failedBatches(): number {
    return this.#failedBatches;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  /** Flushes everything buffered now; resolves when it is stored (or failed). */
  async flush(): Promise<void> {
    while (this.#flushing || this.#buffer.length > 0) {
      if (this.#flushing) await this.#flushing;
      else await this.#flushBatch();
    }
  }

  /** Flushes what is buffered and refuses records from now on. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  #scheduleSoon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#drainInBackground();
    });
  }

  #drainInBackground(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing || this.#buffer.length === 0) return;
    void this.#flushBatch().then(() => {
      if (this.#buffer.length >= this.#options.batchSize) this.#scheduleSoon();
      else if (this.#buffer.length > 0 && !this.#timer && !this.#closed) {
        this.#timer = setTimeout(() => this.#drainInBackground(), this.#options.intervalMs);
        this.#timer.unref();
      }
    });
  }

  #flushBatch(): Promise<void> {
    const batch = this.#buffer.splice(0, this.#options.batchSize);
    const flushing = (async () => {
      try {
        await this.#options.flush(batch);
      } catch (error) {
        this.#failedBatches++;
        this.#options.onError(error);
      }
    })();
    this.#flushing = flushing.finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }
}
