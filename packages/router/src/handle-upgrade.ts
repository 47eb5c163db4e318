import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HelixError } from '@helixstack/sdk';
import { logUpstreamError, type RouterContext } from './context.ts';
import { writeRawErrorResponse } from './error-page.ts';
import { retryAfterHeaders, unavailableError } from './handle-request.ts';
import { normalizeHost } from './hostnames.ts';
import { proxyUpgrade } from './proxy-upgrade.ts';
import { readRequestHead, requestPath, upstreamHeaders } from './request-head.ts';

/**
 * Routes an upgrade request (WebSocket) like any request, then hands the socket to the
 * passthrough. An open WebSocket counts as in flight until it closes, so draining waits
 * for it (rollouts bound that wait with a timeout).
 */
export function handleUpgrade(
  ctx: RouterContext,
  req: IncomingMessage,
  client: Duplex,
  early: Buffer,
  open: Set<Duplex>,
): void {
  const startedAt = performance.now();
  const arrivedAt = Date.now();
  client.pause();
  const socket = req.socket as Socket;
  const head = readRequestHead(req);
  const host = normalizeHost(head.host);
  const target = host === '' ? undefined : ctx.routes.resolve(host);
  const record = (status: number): void => {
    if (ctx.access === undefined) return;
    const bytes = ctx.wire.take(socket);
    ctx.access.record({
      time: arrivedAt,
      host,
      deploymentId: target?.deploymentId ?? '',
      projectId: target?.projectId ?? '',
      method: req.method ?? '',
      path: req.url ?? '',
      status,
      durationMs: performance.now() - startedAt,
      bytesIn: bytes.read,
      bytesOut: bytes.written,
      requestId: head.requestId,
    });
  };
  const options = { accept: head.accept, requestId: head.requestId };
  const refuse = (error: HelixError, status = error.status, headers?: Record<string, string>): void => {
    writeRawErrorResponse(client, error, { ...options, status, headers });
    client.once('close', () => record(status));
  };

  const path = requestPath(req.url);
  const upstream = target?.kind === 'upstream' ? ctx.pools.pick(target) : undefined;
  if (target === undefined) refuse(new HelixError('HLX_ROUTE_UNKNOWN_HOST'));
  else if (path === undefined) refuse(new HelixError('HLX_BAD_REQUEST'));
  else if (target.kind === 'unavailable')
    refuse(unavailableError(target), target.status, retryAfterHeaders(target));
  else if (target.kind === 'static') refuse(new HelixError('HLX_NOT_FOUND'));
  else if (upstream === undefined) refuse(new HelixError('HLX_UPSTREAM_UNAVAILABLE'));
  if (target?.kind !== 'upstream' || path === undefined || upstream === undefined) return;

  const headers = upstreamHeaders(req, head, {
    trustForwardedHeaders: ctx.trustForwardedHeaders,
    keepUpgrade: true,
  });
  ctx.inflight.start(target.deploymentId);
  open.add(client);
  proxyUpgrade(req, client, early, upstream, path, head, headers, {
    onClose: (status) => {
      open.delete(client);
      ctx.inflight.end(target.deploymentId);
      record(status);
    },
    onUpstreamError: (error, requestId) => logUpstreamError(ctx, target, error, requestId),
  });
}
