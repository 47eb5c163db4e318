import type { Socket } from 'node:net';
import { HelixError } from '@helixstack/sdk';
import type { RouterContext } from './context.ts';
import { logUpstreamError } from './context.ts';
import { rawErrorResponse } from './error-page.ts';
import { clientResponseBytes } from './head-rewrite.ts';
import {
  ChunkedEnd,
  type RawResponseHead,
  readRawResponseHead,
  UpstreamProtocolError,
} from './raw-response.ts';
import type { Upstream, UpstreamTarget } from './route-table.ts';
import {
  idleMsFromHint,
  type UpstreamConnection,
  type UpstreamConnections,
  type UpstreamOwner,
} from './upstream-connections.ts';

export interface ExchangeRequest {
  method: string;
  /** The whole head to send upstream, blank line included. */
  head: Buffer;
  bodyLength: number;
  requestId: string;
  accept: string | undefined;
  target: UpstreamTarget;
  upstream: Upstream;
  /** Ask the client to close after the response (it asked, or the router is closing). */
  close: boolean;
}

export interface ExchangeOutcome {
  /** The status sent, or undefined when no response head reached the client. */
  status: number | undefined;
  bytesOut: number;
  /** The client connection cannot carry another request. */
  closeClient: boolean;
}

export interface ExchangeSettings {
  connections: UpstreamConnections;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/**
 * One request relayed to an upstream over a raw kept-alive connection and its response
 * relayed back byte for byte, with backpressure both ways. The client connection feeds
 * the request body in and learns the outcome through `done`.
 */
export class FastExchange implements UpstreamOwner {
  readonly #client: Socket;
  readonly #ctx: RouterContext;
  readonly #settings: ExchangeSettings;
  readonly #request: ExchangeRequest;
  readonly #done: (outcome: ExchangeOutcome) => void;
  #upstream: UpstreamConnection | undefined;
  /** Request body bytes still to come from the client. */
  #bodyLeft: number;
  #retried = false;
  #received = 0;
  #pending: Buffer | undefined;
  #response: RawResponseHead | undefined;
  #bytesLeft = 0;
  #chunked: ChunkedEnd | undefined;
  /** The response body ended in the bytes read so far. */
  #bodyComplete = false;
  #bytesOut = 0;
  #finished = false;
  #close = false;

  constructor(
    client: Socket,
    ctx: RouterContext,
    settings: ExchangeSettings,
    request: ExchangeRequest,
    done: (outcome: ExchangeOutcome) => void,
  ) {
    this.#client = client;
    this.#ctx = ctx;
    this.#settings = settings;
    this.#request = request;
    this.#done = done;
    this.#bodyLeft = request.bodyLength;
  }

  get wantsBody(): boolean {
    return this.#bodyLeft > 0 && !this.#finished;
  }

  /** Sends the head and whatever part of the body arrived with it; returns the bytes taken. */
  start(buffered: Buffer | undefined): number {
    this.#upstream = this.#settings.connections.acquire(this.#request.upstream, this);
    const socket = this.#upstream.socket;
    armTimeout(socket, this.#settings.headersTimeoutMs);
    const first = buffered === undefined ? 0 : Math.min(buffered.length, this.#bodyLeft);
    socket.write(this.#request.head);
    if (first > 0) this.#sendBody(buffered!.subarray(0, first));
    return first;
  }

  /** Request body bytes from the client; returns how many belonged to this request. */
  feedBody(chunk: Buffer): number {
    const take = Math.min(chunk.length, this.#bodyLeft);
    if (take > 0) this.#sendBody(chunk.subarray(0, take));
    return take;
  }

  #sendBody(bytes: Buffer): void {
    this.#bodyLeft -= bytes.length;
    if (this.#upstream?.socket.write(bytes) === false) this.#client.pause();
  }

  onUpstreamDrain(): void {
    if (!this.#finished) this.#client.resume();
  }

  onClientDrain(): void {
    if (!this.#finished) this.#upstream?.socket.resume();
  }

  /** The client went away: stop the upstream request so it does not stream into nothing. */
  clientClosed(): void {
    if (this.#finished) return;
    this.#abandon();
    this.#done({ status: this.#response?.status, bytesOut: this.#bytesOut, closeClient: true });
  }

  onUpstreamData(chunk: Buffer): void {
    if (this.#finished) return;
    this.#received += chunk.length;
    try {
      if (this.#response === undefined) this.#readHead(chunk);
      else this.#relayBody(chunk);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #readHead(chunk: Buffer): void {
    // `chunk` is only lent (see UpstreamOwner): a head cut short is kept as a copy.
    let buffer = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const head = readRawResponseHead(buffer, this.#request.method);
      if (head === undefined) {
        this.#pending = buffer.buffer === chunk.buffer ? Buffer.from(buffer) : buffer;
        return;
      }
      if (head.status === 101) throw new UpstreamProtocolError('upgrade without an upgrade request');
      if (head.status >= 200) {
        this.#pending = undefined;
        this.#startResponse(head, buffer);
        return;
      }
      // 1xx (103 Early Hints, ...): relay it and read on for the final response.
      this.#write(clientResponseBytes(buffer, head, [], undefined));
      buffer = buffer.subarray(head.headLength);
    }
  }

  #startResponse(head: RawResponseHead, buffer: Buffer): void {
    this.#response = head;
    this.#bytesLeft = head.contentLength;
    if (head.framing === 'chunked') this.#chunked = new ChunkedEnd();
    const end = this.#bodyEnd(buffer, head.headLength);
    const body = end > head.headLength ? buffer.subarray(head.headLength, end) : undefined;
    const added = responseLines(head, this.#request.requestId, this.#closesClient(head));
    // Head and first body bytes leave in one write; a large first part is not copied for it.
    let flowing: boolean;
    if (body === undefined || body.length <= maxCopiedBody) {
      flowing = this.#write(clientResponseBytes(buffer, head, added, body));
    } else {
      this.#client.cork();
      this.#write(clientResponseBytes(buffer, head, added, undefined));
      flowing = this.#write(Buffer.from(body));
      this.#client.uncork();
    }
    this.#afterBody(end === buffer.length, flowing);
  }

  #relayBody(chunk: Buffer): void {
    const end = this.#bodyEnd(chunk, 0);
    const flowing = end === 0 || this.#write(Buffer.from(chunk.subarray(0, end)));
    this.#afterBody(end === chunk.length, flowing);
  }

  /** Where the response body ends in `chunk` (from `start`); notes when it is complete. */
  #bodyEnd(chunk: Buffer, start: number): number {
    const response = this.#response!;
    if (response.framing === 'none') {
      this.#bodyComplete = true;
      return start;
    }
    if (response.framing === 'length') {
      const end = start + Math.min(this.#bytesLeft, chunk.length - start);
      this.#bytesLeft -= end - start;
      this.#bodyComplete = this.#bytesLeft === 0;
      return end;
    }
    if (response.framing === 'chunked') {
      const end = start + this.#chunked!.take(chunk, start);
      this.#bodyComplete = this.#chunked!.done;
      return end;
    }
    return chunk.length;
  }

  /** `allUsed`: no bytes followed the body in the chunk; `flowing`: the client took them at once. */
  #afterBody(allUsed: boolean, flowing: boolean): void {
    if (!flowing) this.#upstream?.socket.pause();
    if (this.#bodyComplete) {
      // Bytes past the end of the response mean the upstream is out of step: never reuse it.
      this.#complete(this.#response!.reusable && allUsed && this.#bodyLeft === 0);
      return;
    }
    // The body goes on past this read: from now on the upstream may pause only this long.
    const socket = this.#upstream?.socket;
    if (socket !== undefined) armTimeout(socket, this.#settings.bodyTimeoutMs);
  }

  /** Heads and bodies are bytes; error pages are UTF-8 text. */
  #write(data: Buffer | string): boolean {
    if (typeof data !== 'string') {
      this.#bytesOut += data.length;
      return this.#client.write(data);
    }
    this.#bytesOut += Buffer.byteLength(data);
    return this.#client.write(data);
  }

  onUpstreamTimeout(): void {
    if (this.#response === undefined)
      this.#fail(new UpstreamTimeoutError('the upstream sent no response head in time'));
    else this.#fail(new UpstreamTimeoutError('the upstream paused its response body too long'));
  }

  onUpstreamClose(error: Error | undefined): void {
    if (this.#finished) return;
    const response = this.#response;
    if (response?.framing === 'close' && error === undefined) {
      this.#complete(false);
      return;
    }
    // A kept-alive connection the upstream had just closed: try once more on a new one,
    // when nothing was answered and nothing of a body was sent.
    const stale = this.#upstream?.reused === true && this.#received === 0;
    if (stale && !this.#retried && this.#request.bodyLength === 0) {
      this.#retried = true;
      this.#upstream = this.#settings.connections.acquire(this.#request.upstream, this, true);
      armTimeout(this.#upstream.socket, this.#settings.headersTimeoutMs);
      this.#upstream.socket.write(this.#request.head);
      return;
    }
    this.#fail(error ?? new Error('the upstream closed the connection before the response ended'));
  }

  #complete(reusable: boolean): void {
    const upstream = this.#upstream;
    this.#finished = true;
    this.#upstream = undefined;
    if (upstream !== undefined && upstream.owner === this) {
      if (reusable) {
        upstream.socket.resume();
        // Idle, the connection keeps the head timeout: it closes one the upstream never does.
        armTimeout(upstream.socket, this.#settings.headersTimeoutMs);
        this.#settings.connections.release(upstream, idleMsFromHint(this.#response!.keepAliveSeconds));
      } else {
        upstream.owner = undefined;
        upstream.socket.destroy();
      }
    }
    const response = this.#response!;
    this.#done({
      status: response.status,
      bytesOut: this.#bytesOut,
      closeClient: this.#closesClient(response),
    });
  }

  /** Whether the client connection ends after this response (decided when its head is sent). */
  #closesClient(head: RawResponseHead): boolean {
    this.#close ||=
      this.#request.close || this.#ctx.closing || head.framing === 'close' || this.#bodyLeft > 0;
    return this.#close;
  }

  #fail(error: Error): void {
    if (this.#finished) return;
    this.#abandon();
    const { requestId, target } = this.#request;
    if (this.#response !== undefined) {
      // Mid-body failure: the status is already out, so cut the connection to signal it.
      logUpstreamError(this.#ctx, target, error, requestId);
      this.#client.destroy();
      this.#done({ status: this.#response.status, bytesOut: this.#bytesOut, closeClient: true });
      return;
    }
    logUpstreamError(this.#ctx, target, error, requestId);
    const code = error instanceof UpstreamTimeoutError ? 'HLX_UPSTREAM_TIMEOUT' : 'HLX_UPSTREAM_DOWN';
    const close = this.#request.close || this.#ctx.closing || this.#bodyLeft > 0;
    const page = rawErrorResponse(new HelixError(code), { accept: this.#request.accept, requestId }, close);
    this.#write(page.text);
    this.#done({ status: page.status, bytesOut: this.#bytesOut, closeClient: close });
  }

  /** Stops for good without a complete response: the upstream connection is closed. */
  #abandon(): void {
    this.#finished = true;
    const upstream = this.#upstream;
    this.#upstream = undefined;
    if (upstream !== undefined && upstream.owner === this) {
      upstream.owner = undefined;
      upstream.socket.destroy();
    }
    this.#client.resume();
  }
}

class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
}

/** First body bytes up to this size are copied behind the head to leave in one write. */
const maxCopiedBody = 16 * 1024;

/** Sets a socket's inactivity timeout unless it is set already (setting one makes a new timer). */
function armTimeout(socket: Socket, ms: number): void {
  if (socket.timeout !== ms) socket.setTimeout(ms);
}

/** The header lines the router adds to a final response: the request id and the framing. */
function responseLines(head: RawResponseHead, requestId: string, close: boolean): string[] {
  const lines = ['x-request-id: ', requestId, '\r\n'];
  if (head.framing === 'chunked') lines.push('transfer-encoding: chunked\r\n');
  if (close) lines.push('connection: close\r\n');
  return lines;
}
