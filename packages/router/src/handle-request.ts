import type { IncomingMessage, ServerResponse } from 'node:http';
import { HelixError } from '@helixstack/sdk';
import type { RouterContext } from './context.ts';
import { sendErrorPage } from './error-page.ts';
import { normalizeHost } from './hostnames.ts';
import { proxyHttp, type ResponseRelay } from './proxy-http.ts';
import { type RequestHead, readRequestHead, requestPath, upstreamHeaders } from './request-head.ts';
import type { UnavailableTarget } from './route-table.ts';
import { serveStatic } from './static-files.ts';

/** Status recorded when the client left before any response head was sent (as nginx does). */
export const clientClosedRequest = 499;

/** Routes one HTTP request by its Host header to an upstream, a static root or an error page. */
export function handleRequest(ctx: RouterContext, req: IncomingMessage, res: ServerResponse): void {
  const arrivedAt = Date.now();
  const startedAt = performance.now();
  const socket = req.socket;
  const head = readRequestHead(req);
  const host = normalizeHost(head.host);
  const target = host === '' ? undefined : ctx.routes.resolve(host);
  if (ctx.closing) res.shouldKeepAlive = false;

  const deploymentId = target?.deploymentId ?? '';
  if (deploymentId !== '') ctx.inflight.start(deploymentId);
  let relay: ResponseRelay | undefined;
  res.on('close', () => {
    relay?.clientClosed();
    if (deploymentId !== '') ctx.inflight.end(deploymentId);
    if (ctx.access === undefined) return;
    const bytes = ctx.wire.take(socket);
    ctx.access.record({
      time: arrivedAt,
      host,
      deploymentId,
      projectId: target?.projectId ?? '',
      method: req.method ?? '',
      path: req.url ?? '',
      status: res.headersSent ? res.statusCode : clientClosedRequest,
      durationMs: performance.now() - startedAt,
      bytesIn: bytes.read,
      bytesOut: bytes.written,
      requestId: head.requestId,
    });
  });

  if (target === undefined) {
    sendErrorPage(res, new HelixError('HLX_ROUTE_UNKNOWN_HOST'), errorOptions(head));
    return;
  }
  const path = requestPath(req.url);
  if (path === undefined) {
    sendErrorPage(res, new HelixError('HLX_BAD_REQUEST'), errorOptions(head));
    return;
  }
  if (target.kind === 'upstream') {
    const pool = ctx.pools.next(target);
    if (pool === undefined) {
      sendUnavailable(res, head, { kind: 'unavailable', reason: 'No instance is running.', status: 503 });
      return;
    }
    const headers = upstreamHeaders(req, head, { trustForwardedHeaders: ctx.trustForwardedHeaders });
    relay = proxyHttp(req, res, pool, path, head, headers, ctx, target);
  } else if (target.kind === 'static') {
    serveStatic(req, res, target.root, path, head).catch((error: unknown) => {
      ctx.logger.error({ err: error, requestId: head.requestId, root: target.root }, 'static file failed');
      if (res.headersSent) res.destroy();
      else sendErrorPage(res, new HelixError('HLX_INTERNAL'), errorOptions(head));
    });
  } else {
    sendUnavailable(res, head, target);
  }
}

/** The error and its status for a target that cannot serve (shared with upgrades). */
export function unavailableError(target: UnavailableTarget): HelixError {
  return new HelixError(
    target.status === 503 ? 'HLX_UPSTREAM_UNAVAILABLE' : 'HLX_UPSTREAM_FAILED',
    undefined,
    {
      reason: target.reason,
    },
  );
}

export function retryAfterHeaders(target: UnavailableTarget): Record<string, string> {
  return target.status === 503 ? { 'retry-after': String(target.retryAfterSeconds ?? 5) } : {};
}

function sendUnavailable(res: ServerResponse, head: RequestHead, target: UnavailableTarget): void {
  sendErrorPage(res, unavailableError(target), {
    ...errorOptions(head),
    status: target.status,
    headers: retryAfterHeaders(target),
  });
}

function errorOptions(head: RequestHead): { accept: string | undefined; requestId: string } {
  return { accept: head.accept, requestId: head.requestId };
}
