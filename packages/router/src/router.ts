import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { AccessSink } from './access-log.ts';
import { ClientConnection } from './client-connection.ts';
import { type RouterContext, type RouterLogger, silentLogger } from './context.ts';
import { handleRequest } from './handle-request.ts';
import { handleUpgrade } from './handle-upgrade.ts';
import { InflightTracker } from './inflight.ts';
import type { RouteTable } from './route-table.ts';
import { UpstreamConnections } from './upstream-connections.ts';
import { UpstreamPools } from './upstream-pools.ts';
import { WireBytes } from './wire-bytes.ts';

export interface RouterOptions {
  routes: RouteTable;
  /** Receives one record per request; it must not block (see BatchingAccessSink). */
  access?: AccessSink;
  logger?: RouterLogger;
  /** Keep the client's X-Forwarded-Proto/Host; only behind a trusted TLS terminator. Default false. */
  trustForwardedHeaders?: boolean;
  /** Kept-alive connections per upstream origin at most (idle ones, on the fast path). Default 128. */
  upstreamConnections?: number;
  /** How long an upstream may take to send its response head. Default 60 s. */
  upstreamHeadersTimeoutMs?: number;
  /** Longest pause inside an upstream response body. Default 300 s; 0 disables. */
  upstreamBodyTimeoutMs?: number;
  /** How long close() waits for requests in flight before cutting them. Default 10 s. */
  closeTimeoutMs?: number;
  /**
   * How long a kept-alive client connection may sit idle between requests, and how long a
   * request head may take to arrive before Node's HTTP server takes the connection over.
   * Checked by a sweep, so the cut comes up to a fifth later. Default 5 s (Node's own).
   */
  clientIdleTimeoutMs?: number;
}

export interface Router {
  /** The listening socket server; requests the fast path does not take go to Node's HTTP server. */
  readonly server: Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, waits for requests in flight (up to closeTimeoutMs), closes upstream pools. */
  close(): Promise<void>;
  /** Requests (and open WebSockets) of the deployment in flight now. */
  inflight(deploymentId: string): number;
  /** Resolves when the deployment has nothing in flight; the rollout bounds it with a timeout. */
  drained(deploymentId: string): Promise<void>;
}

export function createRouter(options: RouterOptions): Router {
  const headersTimeoutMs = options.upstreamHeadersTimeoutMs ?? 60_000;
  const bodyTimeoutMs = options.upstreamBodyTimeoutMs ?? 300_000;
  const pools = new UpstreamPools({
    connections: options.upstreamConnections ?? 128,
    headersTimeoutMs,
    bodyTimeoutMs,
  });
  const connections = new UpstreamConnections({ maxIdlePerOrigin: options.upstreamConnections ?? 128 });
  const ctx: RouterContext = {
    routes: options.routes,
    pools,
    inflight: new InflightTracker(),
    access: options.access,
    wire: new WireBytes(),
    logger: options.logger ?? silentLogger,
    trustForwardedHeaders: options.trustForwardedHeaders ?? false,
    closing: false,
  };
  const openUpgrades = new Set<Duplex>();
  const clientIdleTimeoutMs = options.clientIdleTimeoutMs ?? 5000;
  // Node's HTTP server never listens: it takes the connections the fast path hands over.
  const httpServer = createServer({ noDelay: true }, (req, res) => handleRequest(ctx, req, res));
  httpServer.keepAliveTimeout = clientIdleTimeoutMs;
  httpServer.on('upgrade', (req, socket: Duplex, early: Buffer) =>
    handleUpgrade(ctx, req, socket, early, openUpgrades),
  );
  const clients = new Set<ClientConnection>();
  const clientOptions = {
    ctx,
    idleTimeoutMs: clientIdleTimeoutMs,
    settings: { connections, headersTimeoutMs, bodyTimeoutMs },
    handOver: (socket: Duplex) => httpServer.emit('connection', socket),
    onClose: (client: ClientConnection) => clients.delete(client),
  };
  const server = createNetServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    clients.add(new ClientConnection(socket, clientOptions));
  });
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const client of clients) client.sweep(now);
    },
    Math.max(10, Math.min(1000, clientIdleTimeoutMs / 5)),
  );
  sweep.unref();
  const unsubscribe = options.routes.onUpstreamsRemoved?.((origins) => {
    pools.release(origins);
    connections.forget(origins);
  });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    ctx.closing = true;
    clearInterval(sweep);
    unsubscribe?.();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const client of clients) client.closeWhenIdle();
    httpServer.closeIdleConnections();
    const timeoutMs = options.closeTimeoutMs ?? 10_000;
    const timeout = new AbortController();
    const inTime = await Promise.race([
      ctx.inflight.allDrained().then(() => true),
      delay(timeoutMs, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (!inTime) {
      ctx.logger.warn({ inflight: ctx.inflight.total, timeoutMs }, 'closing with requests still in flight');
      for (const socket of openUpgrades) socket.destroy();
    }
    for (const client of clients) client.destroy();
    httpServer.closeAllConnections();
    connections.close();
    await pools.close(!inTime);
    await stopped;
  };

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () => {
      closing ??= close();
      return closing;
    },
    inflight: (deploymentId) => ctx.inflight.count(deploymentId),
    drained: (deploymentId) => ctx.inflight.drained(deploymentId),
  };
}
