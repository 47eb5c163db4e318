import type { Hostnames, SecretBox } from '@helixstack/api';
import type { Database } from '@helixstack/db';
import type { LogStore } from '@helixstack/logs';
import type { PluginRegistry } from '@helixstack/sdk';
import type { Logger } from 'pino';
import type { Instances } from './instances.ts';
import type { RouteSync } from './route-sync.ts';

/** What the build and runtime planes share inside one server process. */
export interface PlaneDeps {
  db: Database;
  registry: PluginRegistry;
  logs: LogStore;
  secretBox: SecretBox;
  instances: Instances;
  routes: RouteSync;
  hostnames: Hostnames;
  logger: Logger;
  /** Root of work directories, artifacts and build caches. */
  dataDir: string;
  /** Waits until the router has no request in flight for a deployment (bounded by the caller). */
  drained(deploymentId: string): Promise<void>;
  /** Longest wait for in-flight requests of a replaced deployment. */
  drainTimeoutMs: number;
}
