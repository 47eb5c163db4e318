import type { Builder } from './builder.ts';
import type { Delivery } from './delivery.ts';
import type { PluginKind } from './manifest.ts';
import type { Runtime } from './runtime.ts';
import type { Secrets } from './secrets.ts';
import type { Source } from './source.ts';

/** Every plug-in, by kind. */
export interface PluginsByKind {
  builder: Builder;
  runtime: Runtime;
  delivery: Delivery;
  secrets: Secrets;
  source: Source;
}
export type Plugin = PluginsByKind[PluginKind];

/** What each kind must implement, checked at load time. */
export const requiredMembers: Record<PluginKind, readonly string[]> = {
  builder: ['detect', 'build'],
  runtime: ['accepts', 'deploy', 'status', 'logs', 'destroy'],
  delivery: ['applyRoutes', 'removeRoutes', 'purge'],
  secrets: ['get', 'put', 'delete'],
  source: ['handles', 'fetch'],
};

/** Optional capabilities of each kind and the member that implements each. */
export const capabilityMembers: Record<PluginKind, Readonly<Record<string, string>>> = {
  builder: {},
  runtime: { stop: 'stop', start: 'start', scale: 'scale', exec: 'exec' },
  delivery: { 'purge-tags': 'purgeTags' },
  secrets: { list: 'list', versions: 'versions' },
  source: {},
};
