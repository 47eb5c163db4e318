import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import {
  type Artifact,
  type DeploySpec,
  HelixError,
  type Runtime,
  type RuntimeHandle,
} from '@helixstack/sdk';
import { CgroupManager } from './cgroups.ts';
import { pickFreePort } from './free-port.ts';
import { Instance } from './instance.ts';
import { findExecutable } from './launch-plan.ts';
import { manifest } from './manifest.ts';
import { type ProcessRuntimeOptions, resolveOptions } from './options.ts';
import { stopOrphans } from './orphans.ts';
import { deploymentKey, RecordStore } from './records.ts';
import { resolveRunAs } from './run-as.ts';
import { checkDeployable } from './validate.ts';

const host = '127.0.0.1';

/** Computes a value on first use, then returns the same one. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

const notSupervised = {
  state: 'stopped',
  healthy: false,
  endpoints: [],
  restarts: 0,
  message: 'not running here: destroyed, or deployed before this server restarted (it deploys again)',
} as const;

/**
 * The `runtime-process` plug-in: each deployment runs as a child process of this server
 * on 127.0.0.1. See docs/runtime-process.md for limits, the user apps run as, and restarts.
 */
export function processRuntime(options: ProcessRuntimeOptions): Runtime {
  const resolved = resolveOptions(options);
  const records = new RecordStore(resolved.stateDir);
  const stateHash = createHash('sha256').update(resolve(resolved.stateDir)).digest('hex').slice(0, 8);
  const cgroups = new CgroupManager(resolved.cgroupRoot, resolved.cgroups, `helixstack-${stateHash}`);
  const instances = new Map<string, Promise<Instance>>();
  let closed = false;
  // Looked up once: a root server refuses to start apps when the user is missing.
  const runAs = lazy(() => resolveRunAs(resolved.user));
  const prlimit = lazy(() => findExecutable('prlimit'));

  async function create(artifact: Artifact, spec: DeploySpec): Promise<Instance> {
    await checkDeployable(artifact, spec);
    const key = deploymentKey(spec.deploymentId);
    const port = await pickFreePort(host);
    const cgroupDirs = cgroups.plan(key);
    // Recorded before the cgroups exist, so that a crash right after leaves nothing unknown.
    records.write(key, { deploymentId: spec.deploymentId, cgroups: cgroupDirs });
    const instance = new Instance({
      key,
      artifact,
      spec,
      host,
      port,
      options: resolved,
      records,
      cgroups: cgroups.create(key, spec.resources ?? {}),
      cgroupDirs,
      runAs: runAs(),
      prlimit: prlimit(),
    });
    instance.start();
    return instance;
  }

  async function find(handle: RuntimeHandle): Promise<Instance | undefined> {
    if (handle?.runtime !== manifest.id || typeof handle.deploymentId !== 'string') return undefined;
    return instances.get(handle.deploymentId)?.catch(() => undefined);
  }

  async function remove(deploymentId: string): Promise<void> {
    const entry = instances.get(deploymentId);
    const instance = await entry?.catch(() => undefined);
    await instance?.destroy();
    if (instances.get(deploymentId) === entry) instances.delete(deploymentId);
  }

  return {
    manifest,
    accepts: ['process-bundle'],

    async init(ctx) {
      records.ensure();
      runAs();
      const stopped = await stopOrphans(records, resolved.stopGraceMs, ctx.logger, (id) => instances.has(id));
      if (stopped > 0) ctx.logger.info('Stopped app processes left by a previous server', { count: stopped });
    },

    async deploy(ctx, { artifact, spec }) {
      ctx.signal.throwIfAborted();
      if (closed) throw new HelixError('HLX_UNAVAILABLE', 'The process runtime is shutting down.');
      const id = spec.deploymentId;
      for (let entry = instances.get(id); entry; entry = instances.get(id)) {
        const instance = await entry.catch(() => undefined);
        if (instance && !instance.destroying) {
          if (instance.digest !== artifact.digest) {
            ctx.logger.warn(
              'Deploy of a running deployment id with another artifact; keeping the running one',
              {
                deploymentId: id,
              },
            );
          }
          instance.start();
          return instance.handle;
        }
        // A destroy in progress finishes before the id is deployed again.
        await remove(id);
      }
      const created = create(artifact, spec);
      instances.set(id, created);
      try {
        return (await created).handle;
      } catch (error) {
        if (instances.get(id) === created) instances.delete(id);
        throw error;
      }
    },

    async status(_ctx, handle) {
      const instance = await find(handle);
      return instance ? instance.status() : { ...notSupervised, endpoints: [] };
    },

    async *logs(ctx, handle, logOptions) {
      if (logOptions.since !== undefined && Number.isNaN(Date.parse(logOptions.since))) {
        throw new HelixError('HLX_VALIDATION', '"since" must be an ISO 8601 time.');
      }
      const instance = await find(handle);
      if (instance) yield* instance.logs.read(logOptions, ctx.signal);
    },

    async destroy(_ctx, handle) {
      if (await find(handle)) await remove(handle.deploymentId);
    },

    async stop(_ctx, handle) {
      await (await find(handle))?.stop();
    },

    async start(_ctx, handle) {
      const instance = await find(handle);
      if (!instance || instance.destroying) {
        throw new HelixError(
          'HLX_INVALID_STATE',
          'This deployment is not deployed on this server; deploy it.',
        );
      }
      instance.start();
    },

    async close() {
      closed = true;
      await Promise.all([...instances.keys()].map(remove));
      cgroups.release();
    },
  };
}
