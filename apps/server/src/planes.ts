import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hostnames, Platform, SecretBox } from '@helixstack/api';
import { accessRecords, type Database, deployments, pointProductionAlias } from '@helixstack/db';
import { JobQueue, Worker } from '@helixstack/jobs';
import { LogStore } from '@helixstack/logs';
import { Instances, Orchestrator, pluginLogger, RouteSync } from '@helixstack/orchestrator';
import { BatchingAccessSink, createRouter, MemoryRouteTable, type Router } from '@helixstack/router';
import { BlobStore, uploadLimitsFromEnv } from '@helixstack/source';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import { installedPlugins } from './plugins.ts';

export interface Planes {
  platform: Platform;
  /** Starts the worker, reconciler and router the role runs. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composes the build, runtime and delivery planes for a role: `all` runs them all in this
 * process; `api` only queues work for workers; `worker` builds and runs; `router` serves.
 */
export async function composePlanes(
  config: ServerConfig,
  db: Database,
  secretBox: SecretBox,
  logger: Logger,
): Promise<Planes> {
  const runs = (plane: 'worker' | 'router') => config.role === 'all' || config.role === plane;
  const limits = uploadLimitsFromEnv();
  const blobs = (orgId: string) => new BlobStore(join(config.dataDir, 'blobs', orgId));
  const manifestPath = (orgId: string, digest: string) =>
    join(config.dataDir, 'sources', orgId, `${digest}.json`);
  const hostnames: Hostnames = { baseDomain: config.baseDomain, routerPort: config.routerPort };
  const logs = new LogStore(db);
  const queue = new JobQueue(db);
  const registry = installedPlugins({
    dataDir: config.dataDir,
    blobs,
    manifestPath,
    limits,
    allowLocalSources: config.allowLocalSources,
  });
  const table = new MemoryRouteTable();
  const routes = new RouteSync(db, table, hostnames);
  const access = new BatchingAccessSink({
    flush: async (records) => {
      await db
        .insert(accessRecords)
        .values(records.map((record) => ({ ...record, time: new Date(record.time) })));
    },
    onError: (error) => logger.warn({ err: error }, 'access records were not stored'),
  });
  let router: Router | undefined;
  const orchestrator = new Orchestrator(
    {
      db,
      registry,
      logs,
      secretBox,
      instances: new Instances(logs),
      routes,
      hostnames,
      logger,
      dataDir: config.dataDir,
      // A router in another process learns of the switch within its refresh interval; wait that out.
      drained: (id) => (router ? router.drained(id) : new Promise((resolve) => setTimeout(resolve, 2000))),
      drainTimeoutMs: config.drainTimeoutMs,
    },
    queue,
  );
  const worker = new Worker({
    queue,
    workerId: `${process.pid}-${Date.now()}`,
    kinds: ['build'],
    leaseMs: config.jobLeaseMs,
    pollMs: 1000,
    concurrency: 2,
    handler: orchestrator.handleBuild,
    onError: (error) => logger.warn({ err: error }, 'build worker'),
  });
  let routerPoll: NodeJS.Timeout | undefined;

  const platform: Platform = {
    logs,
    blobs,
    async saveManifest(orgId, digest, files) {
      await mkdir(join(config.dataDir, 'sources', orgId), { recursive: true });
      await writeFile(manifestPath(orgId, digest), JSON.stringify(files));
    },
    uploadLimits: limits,
    allowLocalSources: config.allowLocalSources,
    hostnames,
    enqueueBuild: (deploymentId, projectId, environmentId) =>
      orchestrator.enqueueBuild(deploymentId, projectId, environmentId),
    promote: async (projectId, deploymentId) => {
      if (runs('worker')) return orchestrator.promote(projectId, deploymentId);
      // Split roles: a worker's reconciler starts it again if it was stopped; routers follow.
      await db.update(deployments).set({ desired: 'running' }).where(eq(deployments.id, deploymentId));
      await pointProductionAlias(db, projectId, deploymentId);
    },
    cancel: (deploymentId) => orchestrator.cancel(deploymentId),
  };

  return {
    platform,
    async start() {
      if (runs('router')) {
        router = createRouter({ routes: table, access, logger });
        const address = await router.listen(config.routerPort, config.host);
        hostnames.routerPort = address.port;
        if (config.role === 'router') {
          const poll = () => void routes.refresh().finally(() => (routerPoll = setTimeout(poll, 1000)));
          poll();
        } else await routes.refresh();
      }
      if (runs('worker')) {
        for (const plugin of registry.all())
          await plugin.init?.({ logger: pluginLogger(logger), signal: new AbortController().signal });
        orchestrator.start();
        worker.start();
      }
    },
    async close() {
      clearTimeout(routerPoll);
      await worker.stop();
      await orchestrator.stop();
      await router?.close();
      await access.flush();
      for (const plugin of registry.all()) await plugin.close?.();
    },
  };
}
