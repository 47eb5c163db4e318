import { connect, type Socket } from 'node:net';
import { type Upstream, upstreamOrigin } from './route-table.ts';

/** Whoever uses an upstream connection right now receives its events. */
export interface UpstreamOwner {
  /**
   * Bytes read from the upstream. `chunk` is a view of a buffer reused for every read: it
   * is valid only during the call, so whatever is kept or written on must be a copy.
   */
  onUpstreamData(chunk: Buffer): void;
  /** The connection closed; `error` when it failed (refused, reset, ...). */
  onUpstreamClose(error: Error | undefined): void;
  onUpstreamDrain(): void;
  onUpstreamTimeout(): void;
}

/** One TCP connection to an upstream. Its listeners stay for its life and call the current owner. */
export class UpstreamConnection {
  readonly socket: Socket;
  readonly origin: string;
  readonly generation: number;
  owner: UpstreamOwner | undefined;
  /** It carried a request before this one (so a failure may be a stale keep-alive). */
  reused = false;
  /** Idle, it is reused only until then (epoch ms): the upstream may close it soon after. */
  idleUntil = 0;
  #error: Error | undefined;

  constructor(upstream: Upstream, origin: string, generation: number, onClose: () => void) {
    this.origin = origin;
    this.generation = generation;
    // Reads land in one shared buffer: no allocation and no stream machinery per read.
    const onread = {
      buffer: readBuffer,
      callback: (length: number, buffer: Uint8Array): boolean => {
        if (this.owner) this.owner.onUpstreamData(Buffer.from(buffer.buffer, buffer.byteOffset, length));
        else this.socket.destroy(); // bytes nobody asked for: the connection is out of step
        return true; // backpressure pauses the socket itself
      },
    };
    this.socket = connect({ host: upstream.host, port: upstream.port, noDelay: true, onread });
    this.socket.on('drain', () => this.owner?.onUpstreamDrain());
    this.socket.on('timeout', () => {
      if (this.owner) this.owner.onUpstreamTimeout();
      else this.socket.destroy(); // idle for longer than the upstream keeps connections
    });
    this.socket.on('error', (error) => {
      this.#error = error;
    });
    this.socket.on('close', () => {
      onClose();
      const owner = this.owner;
      this.owner = undefined;
      owner?.onUpstreamClose(this.#error);
    });
  }
}

/** Every upstream read lands here; owners copy what they keep (see UpstreamOwner). */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

export interface UpstreamConnectionsOptions {
  /** Idle connections kept per origin at most. */
  maxIdlePerOrigin: number;
}

/** Idle time used when the upstream gives no Keep-Alive hint: under Node's default of 5 s. */
const defaultIdleMs = 4000;

/**
 * Kept-alive raw connections per upstream origin for the fast path. A connection goes
 * back to the idle list after a complete response and leaves it when the upstream closes
 * it, when it is found idle past the upstream's keep-alive time, when its socket times
 * out, or when its origin leaves the route table.
 */
export class UpstreamConnections {
  #idle = new Map<string, UpstreamConnection[]>();
  #generations = new Map<string, number>();
  #origins = new WeakMap<Upstream, string>();
  readonly #options: UpstreamConnectionsOptions;
  #closed = false;

  constructor(options: UpstreamConnectionsOptions) {
    this.#options = options;
  }

  /** An idle connection to the upstream, or a new one (`fresh` skips the idle list). */
  acquire(upstream: Upstream, owner: UpstreamOwner, fresh = false): UpstreamConnection {
    const origin = this.#originOf(upstream);
    const idle = fresh ? undefined : this.#idle.get(origin);
    const now = Date.now();
    for (let connection = idle?.pop(); connection !== undefined; connection = idle?.pop()) {
      if (connection.idleUntil > now) {
        connection.owner = owner; // the new owner sets the socket's timeout
        return connection;
      }
      connection.socket.destroy(); // past the upstream's keep-alive time: it may close under a request
    }
    return this.#open(upstream, origin, owner);
  }

  #open(upstream: Upstream, origin: string, owner: UpstreamOwner): UpstreamConnection {
    const connection: UpstreamConnection = new UpstreamConnection(
      upstream,
      origin,
      this.#generations.get(origin) ?? 0,
      () => this.#drop(connection),
    );
    connection.owner = owner;
    return connection;
  }

  /**
   * Back to the idle list after a complete response; `idleMs` from the upstream's Keep-Alive
   * hint. No timer is set here: the socket keeps its timeout, which closes a connection
   * the upstream never closes, and `acquire` skips those past their time.
   */
  release(connection: UpstreamConnection, idleMs = defaultIdleMs): void {
    connection.owner = undefined;
    connection.reused = true;
    const idle = this.#idle.get(connection.origin) ?? [];
    const current = connection.generation === (this.#generations.get(connection.origin) ?? 0);
    if (this.#closed || !current || idle.length >= this.#options.maxIdlePerOrigin || idleMs <= 0) {
      connection.socket.destroy();
      return;
    }
    connection.idleUntil = Date.now() + idleMs;
    idle.push(connection);
    this.#idle.set(connection.origin, idle);
  }

  /** Origins that left the route table: idle connections close, busy ones close when done. */
  forget(origins: readonly string[]): void {
    for (const origin of origins) {
      this.#generations.set(origin, (this.#generations.get(origin) ?? 0) + 1);
      const idle = this.#idle.get(origin) ?? [];
      this.#idle.delete(origin);
      for (const connection of idle) connection.socket.destroy();
    }
  }

  /** Closes every idle connection; busy ones close when their response ends. */
  close(): void {
    this.#closed = true;
    this.forget([...this.#idle.keys()]);
  }

  #drop(connection: UpstreamConnection): void {
    const idle = this.#idle.get(connection.origin);
    const at = idle?.indexOf(connection) ?? -1;
    if (at >= 0) idle?.splice(at, 1);
  }

  #originOf(upstream: Upstream): string {
    let origin = this.#origins.get(upstream);
    if (origin === undefined) {
      origin = upstreamOrigin(upstream);
      this.#origins.set(upstream, origin);
    }
    return origin;
  }
}

/** The idle time to keep a connection: a second under the upstream's `Keep-Alive: timeout=N`. */
export function idleMsFromHint(seconds: number | undefined): number {
  return seconds === undefined ? defaultIdleMs : Math.max(0, (seconds - 1) * 1000);
}
