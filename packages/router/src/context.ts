import type { AccessSink } from './access-log.ts';
import type { InflightTracker } from './inflight.ts';
import type { RouteTable, RouteTarget } from './route-table.ts';
import type { UpstreamPools } from './upstream-pools.ts';
import type { WireBytes } from './wire-bytes.ts';

/** Where the router writes what operators need to know. pino loggers fit as they are. */
export interface RouterLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export const silentLogger: RouterLogger = {
  info() {},
  warn() {},
  error() {},
};

/** What the request and upgrade handlers share; built once per router. */
export interface RouterContext {
  routes: RouteTable;
  pools: UpstreamPools;
  inflight: InflightTracker;
  access: AccessSink | undefined;
  wire: WireBytes;
  logger: RouterLogger;
  trustForwardedHeaders: boolean;
  /** Set when the router is closing: responses then ask clients to close the connection. */
  closing: boolean;
}

export function logUpstreamError(
  ctx: RouterContext,
  target: RouteTarget,
  error: Error,
  requestId: string,
): void {
  ctx.logger.warn(
    { err: error, requestId, deploymentId: target.deploymentId, projectId: target.projectId },
    'upstream request failed',
  );
}
