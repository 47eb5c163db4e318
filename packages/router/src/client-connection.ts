import type { Socket } from 'node:net';
import type { RouterContext } from './context.ts';
import { type ExchangeSettings, FastExchange } from './fast-exchange.ts';
import { clientClosedRequest } from './handle-request.ts';
import { upstreamRequestBytes } from './head-rewrite.ts';
import { normalizeHost } from './hostnames.ts';
import { incomplete, readRawRequestHead, unsupported } from './raw-request-head.ts';
import { forwardedValues, requestIdOf, requestPath } from './request-head.ts';

/** Pipelined bytes buffered while a response runs; past this the client is paused. */
const maxBufferedBytes = 64 * 1024;

export interface ClientConnectionOptions {
  ctx: RouterContext;
  /**
   * How long a kept-alive connection may sit idle between requests, and how long a head
   * may dribble in before Node's server, with its own limits, takes over.
   */
  idleTimeoutMs: number;
  settings: ExchangeSettings;
  /** Gives the connection, unread bytes pushed back, to Node's HTTP server. */
  handOver: (socket: Socket) => void;
  onClose: (connection: ClientConnection) => void;
}

/**
 * The fast path of one client connection. Plain HTTP/1.1 requests to upstream targets are
 * relayed here over raw sockets; the first request that needs anything more (static files,
 * error pages, upgrades, chunked bodies, malformed input) hands the connection, unread
 * bytes included, to Node's HTTP server for the rest of its life.
 */
export class ClientConnection {
  readonly #socket: Socket;
  readonly #options: ClientConnectionOptions;
  #buffer: Buffer | undefined;
  #exchange: FastExchange | undefined;
  #ended = false;
  #closing = false;
  #handedOver = false;
  /** performance.now() of the last bytes read or response finished; the idle sweep reads it. */
  #lastActive = performance.now();
  #onData = (chunk: Buffer): void => this.#read(chunk);
  #onDrain = (): void => this.#exchange?.onClientDrain();
  #onEnd = (): void => this.#clientEnded();
  #onClose = (): void => this.#closed();

  constructor(socket: Socket, options: ClientConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    socket.on('data', this.#onData);
    socket.on('drain', this.#onDrain);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onClose);
    socket.on('error', ignore);
  }

  get idle(): boolean {
    return this.#exchange === undefined && this.#buffer === undefined && !this.#handedOver;
  }

  /** Router shutdown: close now if idle, else after the response in progress. */
  closeWhenIdle(): void {
    this.#closing = true;
    if (this.idle) this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /**
   * Called about every second by the router: closes the connection once it has been idle
   * too long. One sweep costs less than a socket timer, which every read and write re-arms.
   */
  sweep(now: number): void {
    if (this.#exchange !== undefined || this.#handedOver) return;
    if (now - this.#lastActive >= this.#options.idleTimeoutMs) this.#timedOut();
  }

  #read(chunk: Buffer): void {
    this.#lastActive = performance.now();
    if (this.#closing && this.#exchange === undefined) return;
    let rest = chunk;
    if (this.#exchange?.wantsBody) {
      rest = chunk.subarray(this.#exchange.feedBody(chunk));
      if (rest.length === 0) return;
    }
    this.#buffer = this.#buffer === undefined ? rest : Buffer.concat([this.#buffer, rest]);
    if (this.#exchange === undefined) this.#next();
    else if (this.#buffer.length > maxBufferedBytes) this.#socket.pause();
  }

  /** Starts the next buffered request, or waits for one. */
  #next(): void {
    const buffer = this.#buffer;
    if (buffer === undefined) {
      if (this.#ended || this.#closing || this.#options.ctx.closing) this.#socket.end();
      return;
    }
    const parsed = readRawRequestHead(buffer);
    if (parsed === incomplete) return;
    if (parsed === unsupported) {
      this.#handOver();
      return;
    }
    const { ctx } = this.#options;
    const host = normalizeHost(parsed.host);
    const target = host === '' ? undefined : ctx.routes.resolve(host);
    const path = requestPath(parsed.url);
    const upstream = target?.kind === 'upstream' ? ctx.pools.pick(target) : undefined;
    if (target?.kind !== 'upstream' || path === undefined || upstream === undefined) {
      this.#handOver();
      return;
    }

    const arrivedAt = Date.now();
    const startedAt = performance.now();
    const close = parsed.close || this.#ended || this.#closing || ctx.closing;
    const requestId = requestIdOf(parsed.requestId);
    const forwarded = forwardedValues(this.#socket, parsed, ctx.trustForwardedHeaders);
    const added = [
      'x-forwarded-for: ',
      forwarded.for,
      '\r\nx-forwarded-proto: ',
      forwarded.proto,
      '\r\nx-forwarded-host: ',
      forwarded.host,
      '\r\nx-request-id: ',
      requestId,
      '\r\n',
    ];
    const bytesIn = parsed.headLength + parsed.contentLength;
    const deploymentId = target.deploymentId;
    ctx.inflight.start(deploymentId);
    const exchange = new FastExchange(
      this.#socket,
      ctx,
      this.#options.settings,
      {
        method: parsed.method,
        head: upstreamRequestBytes(buffer, parsed, path, added),
        bodyLength: parsed.contentLength,
        requestId,
        accept: parsed.accept,
        target,
        upstream,
        close,
      },
      (outcome) => {
        this.#exchange = undefined;
        const endedAt = performance.now();
        this.#lastActive = endedAt;
        ctx.inflight.end(deploymentId);
        ctx.access?.record({
          time: arrivedAt,
          host,
          deploymentId,
          projectId: target.projectId,
          method: parsed.method,
          path: parsed.url,
          status: outcome.status ?? clientClosedRequest,
          durationMs: endedAt - startedAt,
          bytesIn,
          bytesOut: outcome.bytesOut,
          requestId,
        });
        if (outcome.closeClient) {
          this.#closing = true;
          this.#buffer = undefined;
          if (!this.#socket.destroyed) this.#socket.end();
          return;
        }
        this.#socket.resume();
        // Later requests run from a fresh stack, not from inside the upstream's data event.
        if (this.#buffer === undefined) this.#next();
        else process.nextTick(() => this.#nextIfIdle());
      },
    );
    this.#exchange = exchange;
    const rest = buffer.subarray(parsed.headLength);
    const taken = exchange.start(rest.length > 0 ? rest : undefined);
    this.#buffer = rest.length > taken ? rest.subarray(taken) : undefined;
  }

  #nextIfIdle(): void {
    if (this.#exchange === undefined && !this.#handedOver) this.#next();
  }

  #handOver(): void {
    const socket = this.#socket;
    if (socket.readableEnded) {
      // The client already half-closed: its bytes cannot be pushed back into the stream.
      // Only a client that pipelines and half-closes at once gets here.
      socket.end();
      return;
    }
    this.#handedOver = true;
    socket.off('data', this.#onData);
    socket.off('drain', this.#onDrain);
    socket.off('end', this.#onEnd);
    socket.pause();
    const unread = this.#buffer;
    this.#buffer = undefined;
    // Node's server counts bytes per request from where the last one ended.
    this.#options.ctx.wire.mark(socket, socket.bytesRead - (unread?.length ?? 0), socket.bytesWritten);
    if (unread !== undefined) socket.unshift(unread);
    this.#options.handOver(socket);
    process.nextTick(() => socket.resume());
  }

  #clientEnded(): void {
    this.#ended = true;
    // As Node's server does by default: a client that half-closes has given up on its request.
    this.#exchange?.clientClosed();
    this.#buffer = undefined;
    this.#socket.end();
  }

  #timedOut(): void {
    // A head still arriving after the wait: let Node's server apply its own limits.
    if (this.#buffer !== undefined) this.#handOver();
    else this.#socket.destroy();
  }

  #closed(): void {
    this.#exchange?.clientClosed();
    this.#options.onClose(this);
  }
}

function ignore(): void {}
