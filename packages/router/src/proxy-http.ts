import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HelixError } from '@helixstack/sdk';
import type { Dispatcher, Pool } from 'undici';
import { logUpstreamError, type RouterContext } from './context.ts';
import { sendErrorPage } from './error-page.ts';
import type { RequestHead } from './request-head.ts';
import type { UpstreamTarget } from './route-table.ts';

/**
 * Sends the request to the upstream pool and streams the answer back as it arrives:
 * the request body flows from the client socket into undici, the response body from
 * undici into the client socket, with backpressure both ways.
 */
export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  pool: Pool,
  path: string,
  head: RequestHead,
  headers: string[],
  ctx: RouterContext,
  target: UpstreamTarget,
): ResponseRelay {
  const relay = new ResponseRelay(res, head, ctx, target);
  // blocking: false skips a queue pass per response head; without pipelining it changes nothing else.
  pool.dispatch(
    { path, method: req.method ?? 'GET', headers, body: head.hasBody ? req : null, blocking: false },
    relay,
  );
  return relay;
}

/** Relays one upstream response to the client. One instance per proxied request. */
export class ResponseRelay implements Dispatcher.DispatchHandler {
  #res: ServerResponse;
  #head: RequestHead;
  #ctx: RouterContext;
  #target: UpstreamTarget;
  #controller: Dispatcher.DispatchController | undefined;
  #finished = false;
  #clientGone = false;

  constructor(res: ServerResponse, head: RequestHead, ctx: RouterContext, target: UpstreamTarget) {
    this.#res = res;
    this.#head = head;
    this.#ctx = ctx;
    this.#target = target;
  }

  /** The client went away: stop the upstream request so it does not stream into nothing. */
  clientClosed(): void {
    this.#clientGone = true;
    if (!this.#finished) this.#controller?.abort(new Error('client closed the connection'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#clientGone) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    removeHopByHop(headers);
    headers['x-request-id'] = this.#head.requestId;
    // Once the router is closing, ask the client to close the connection after this response.
    if (this.#ctx.closing) this.#res.shouldKeepAlive = false;
    if (statusMessage) this.#res.writeHead(statusCode, statusMessage, headers);
    else this.#res.writeHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.#finished = true;
    this.#res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#finished = true;
    if (this.#clientGone) return;
    const res = this.#res;
    if (res.headersSent) {
      // Mid-body failure: the status is already out, so cut the connection to signal it.
      logUpstreamError(this.#ctx, this.#target, error, this.#head.requestId);
      res.destroy(error);
      return;
    }
    const code = errorCode(error);
    if (code !== 'HLX_BAD_REQUEST') logUpstreamError(this.#ctx, this.#target, error, this.#head.requestId);
    sendErrorPage(res, new HelixError(code), { accept: this.#head.accept, requestId: this.#head.requestId });
  }
}

function errorCode(error: Error): 'HLX_UPSTREAM_TIMEOUT' | 'HLX_UPSTREAM_DOWN' | 'HLX_BAD_REQUEST' {
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'HLX_UPSTREAM_TIMEOUT';
  // undici refuses some client headers (malformed values): the client's fault, not the upstream's.
  if (code === 'UND_ERR_INVALID_ARG') return 'HLX_BAD_REQUEST';
  return 'HLX_UPSTREAM_DOWN';
}

/** Response headers that only mean something on one connection (RFC 9110 7.6.1). */
export const hopByHopResponse = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Drops hop-by-hop response headers, and any the upstream listed in its Connection header. */
function removeHopByHop(headers: IncomingHttpHeaders): void {
  const connection = headers.connection;
  if (typeof connection === 'string' && connection.includes(',')) {
    for (const token of connection.split(',')) delete headers[token.trim().toLowerCase()];
  } else if (typeof connection === 'string' && connection !== 'keep-alive' && connection !== 'close') {
    delete headers[connection.trim().toLowerCase()];
  }
  for (const name of hopByHopResponse) {
    if (headers[name] !== undefined) delete headers[name];
  }
}
