export {
  type AccessRecord,
  type AccessSink,
  BatchingAccessSink,
  type BatchingAccessSinkOptions,
} from './access-log.ts';
export { defaultRouterPort, type RouterConfig, routerConfigFromEnv } from './config.ts';
export type { RouterLogger } from './context.ts';
export { prefersJson } from './error-page.ts';
export {
  branchHost,
  branchLabel,
  branchSlug,
  defaultBaseDomain,
  deploymentHost,
  normalizeBaseDomain,
  normalizeHost,
  productionHost,
  shortDeploymentId,
} from './hostnames.ts';
export {
  MemoryRouteTable,
  type RouteTable,
  type RouteTarget,
  type StaticTarget,
  type UnavailableTarget,
  type Upstream,
  type UpstreamsRemovedListener,
  type UpstreamTarget,
  upstreamOrigin,
} from './route-table.ts';
export { createRouter, type Router, type RouterOptions } from './router.ts';
export { cacheControlOf, contentTypeOf, hasContentHash } from './static-headers.ts';
