// Open-loop load at a steady rate, for latency at one offered load. autocannon's rate option
// is a per-second budget that each connection spends as fast as it can, so its "paced" runs
// are bursts at full speed followed by idle time; this spreads requests evenly instead.
// Latency counts from when a request was due, not when it was sent, so a target that falls
// behind is charged for the wait (no coordinated omission).
import { connect, type Socket } from 'node:net';

export interface PacedOptions {
  port: number;
  host: string;
  connections: number;
  rate: number;
  /** Paced like the rest on the same connections, but not counted. */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface PacedResult {
  /** Response times in ms, from when each request was due (warm-up excluded). */
  times: number[];
  /** Responses in all, warm-up included (CPU is measured over both). */
  answered: number;
  errors: number;
  non2xx: number;
  durationSeconds: number;
}

/** One keep-alive connection that sends GET / and reads one response at a time. */
class Connection {
  readonly socket: Socket;
  readonly #request: Buffer;
  readonly #onResponse: (connection: Connection, dueAt: number, status: number) => void;
  #buffer: Buffer = Buffer.alloc(0);
  #dueAt = 0;
  busy = false;

  constructor(
    port: number,
    request: Buffer,
    onResponse: (connection: Connection, dueAt: number, status: number) => void,
    onError: () => void,
  ) {
    this.#request = request;
    this.#onResponse = onResponse;
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.socket.on('error', onError);
  }

  send(dueAt: number): void {
    this.busy = true;
    this.#dueAt = dueAt;
    this.socket.write(this.#request);
  }

  /** Responses here always carry Content-Length (the benchmark's upstream sets it). */
  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const head = this.#buffer.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const total = headEnd + 4 + Number(length?.[1] ?? 0);
    if (this.#buffer.length < total) return;
    this.#buffer = this.#buffer.subarray(total);
    this.busy = false;
    this.#onResponse(this, this.#dueAt, Number(head.slice(9, 12)));
  }
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${options.host}\r\n\r\n`, 'latin1');
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const waiting: number[] = [];
  // First in, first out: every connection keeps carrying requests, so none sits idle long
  // enough for a server to close it under a request.
  const idle: Connection[] = [];
  let countFrom = Number.POSITIVE_INFINITY;
  let answered = 0;
  const onResponse = (connection: Connection, dueAt: number, status: number): void => {
    answered++;
    if (dueAt >= countFrom) {
      times.push(performance.now() - dueAt);
      if (status < 200 || status > 299) non2xx++;
    }
    const next = waiting.shift();
    if (next === undefined) idle.push(connection);
    else connection.send(next);
  };
  const connections = Array.from(
    { length: options.connections },
    () => new Connection(options.port, request, onResponse, () => errors++),
  );
  await Promise.all(connections.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
  idle.push(...connections);

  const interval = 1000 / options.rate;
  const startedAt = performance.now();
  countFrom = startedAt + options.warmupSeconds * 1000;
  const endsAt = countFrom + options.durationSeconds * 1000;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = Math.min(performance.now(), endsAt);
      while (startedAt + sent * interval <= now) {
        const dueAt = startedAt + sent * interval;
        sent++;
        const connection = idle.shift();
        if (connection) connection.send(dueAt);
        else waiting.push(dueAt);
      }
      if (now >= endsAt) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  // Let requests still on the wire finish (bounded), then close.
  const deadline = performance.now() + 5000;
  while ((waiting.length > 0 || connections.some((c) => c.busy)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const unanswered = waiting.length + connections.filter((c) => c.busy).length;
  for (const c of connections) c.socket.destroy();
  return {
    times,
    answered,
    errors: errors + unanswered,
    non2xx,
    durationSeconds: options.durationSeconds,
  };
}
