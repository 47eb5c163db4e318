export { pluginLogger } from './context.ts';
export type { PlaneDeps } from './deps.ts';
export { Instances } from './instances.ts';
export { Orchestrator } from './orchestrator.ts';
export { RouteSync } from './route-sync.ts';
