import type { OperationContext } from './context.ts';
import type { PluginLifecycle, PluginManifest } from './manifest.ts';

/** One hostname and where it points. */
export interface Route {
  hostname: string;
  deploymentId: string;
  /** Where the origin serves this deployment (the edge router's address). */
  origin: string;
}

export type DeliveryCapability = 'purge-tags';

/** Mirrors routes to a delivery network (CDN) in front of the edge router. */
export interface Delivery extends PluginLifecycle {
  readonly manifest: PluginManifest<'delivery', DeliveryCapability>;
  /** Called after every alias switch with the routes that changed. Idempotent. */
  applyRoutes(ctx: OperationContext, routes: Route[]): Promise<void>;
  /** Called when hostnames stop pointing anywhere (project or domain deleted). Idempotent. */
  removeRoutes(ctx: OperationContext, hostnames: string[]): Promise<void>;
  /** Called after a promote or rollback so cached responses of the old deployment go. */
  purge(ctx: OperationContext, target: { all: true } | { paths: string[] }): Promise<void>;
  /** Capability `purge-tags`: purges responses carrying any of these cache tags. */
  purgeTags?(ctx: OperationContext, tags: string[]): Promise<void>;
}
