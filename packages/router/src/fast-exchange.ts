import type { Socket } from 'node:net';
import { HelixError } from '@helixstack/sdk';
import type { RouterContext } from './context.ts';
import { logUpstreamError } from './context.ts';
import { rawErrorResponse } from './error-page.ts';
import { hopByHopResponse } from './proxy-http.ts';
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
  head: string;
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
    this.#upstream.socket.setTimeout(this.#settings.headersTimeoutMs);
    const socket = this.#upstream.socket;
    const first = buffered === undefined ? 0 : Math.min(buffered.length, this.#bodyLeft);
    socket.write(this.#request.head, 'latin1');
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
      else this.#relayBody(chunk, 0);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #readHead(chunk: Buffer): void {
    let buffer = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const head = readRawResponseHead(buffer, this.#request.method);
      if (head === undefined) {
        this.#pending = buffer;
        return;
      }
      if (head.status === 101) throw new UpstreamProtocolError('upgrade without an upgrade request');
      if (head.status >= 200) {
        this.#pending = undefined;
        this.#startResponse(head, buffer);
        return;
      }
      // 1xx (103 Early Hints, ...): relay it and read on for the final response.
      this.#write(clientHead(head, this.#request.requestId, false, true));
      buffer = buffer.subarray(head.headLength);
    }
  }

  #startResponse(head: RawResponseHead, buffer: Buffer): void {
    this.#response = head;
    const { headersTimeoutMs, bodyTimeoutMs } = this.#settings;
    if (bodyTimeoutMs !== headersTimeoutMs) this.#upstream?.socket.setTimeout(bodyTimeoutMs);
    this.#bytesLeft = head.contentLength;
    if (head.framing === 'chunked') this.#chunked = new ChunkedEnd();
    // Once the router is closing, ask the client to close the connection after this response.
    const close = this.#closesClient(head);
    // Head and first body bytes leave in one write.
    this.#client.cork();
    this.#write(clientHead(head, this.#request.requestId, close, false));
    this.#relayBody(buffer, head.headLength);
    this.#client.uncork();
  }

  #relayBody(chunk: Buffer, start: number): void {
    const response = this.#response!;
    let end = chunk.length;
    let complete = false;
    if (response.framing === 'none') {
      end = start;
      complete = true;
    } else if (response.framing === 'length') {
      end = start + Math.min(this.#bytesLeft, chunk.length - start);
      this.#bytesLeft -= end - start;
      complete = this.#bytesLeft === 0;
    } else if (response.framing === 'chunked') {
      end = start + this.#chunked!.take(chunk, start);
      complete = this.#chunked!.done;
    }
    if (end > start && !this.#write(start === 0 ? chunk : chunk.subarray(start, end))) {
      this.#upstream?.socket.pause();
    }
    if (!complete) return;
    // Bytes past the end of the response mean the upstream is out of step: never reuse it.
    const reusable = response.reusable && end === chunk.length && this.#bodyLeft === 0;
    this.#complete(reusable);
  }

  /** Heads are latin1 text (header bytes as received, one char each); error pages are UTF-8. */
  #write(data: Buffer | string, encoding: 'latin1' | 'utf8' = 'latin1'): boolean {
    if (typeof data !== 'string') {
      this.#bytesOut += data.length;
      return this.#client.write(data);
    }
    this.#bytesOut += Buffer.byteLength(data, encoding);
    return this.#client.write(data, encoding);
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
      this.#upstream.socket.setTimeout(this.#settings.headersTimeoutMs);
      this.#upstream.socket.write(this.#request.head, 'latin1');
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
        this.#settings.connections.release(upstream, idleMsFromHint(this.#response!.keepAlive));
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
    this.#write(page.text, 'utf8');
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

const hopByHop = new Set(hopByHopResponse);

/** The head sent to the client: hop-by-hop headers dropped, the request id and framing set. */
function clientHead(
  head: RawResponseHead,
  requestId: string,
  close: boolean,
  informational: boolean,
): string {
  const raw = head.rawHeaders;
  let text = `HTTP/1.1 ${head.status} ${head.reason}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (hopByHop.has(lower) || lower === 'x-request-id' || head.connectionTokens.includes(lower)) continue;
    text += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  if (!informational) {
    text += `x-request-id: ${requestId}\r\n`;
    if (head.framing === 'chunked') text += 'transfer-encoding: chunked\r\n';
    if (close) text += 'connection: close\r\n';
  }
  return `${text}\r\n`;
}
