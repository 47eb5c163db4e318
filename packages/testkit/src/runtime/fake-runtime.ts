import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Artifact,
  type DeploySpec,
  HelixError,
  type InstanceStatus,
  LogRing,
  type Runtime,
  type RuntimeHandle,
} from '@helixstack/sdk';

export interface FakeRuntimeOptions {
  /** Manifest id (default `runtime-fake`). */
  id?: string;
  /** Artifact kinds it claims to run (default process-bundle only). */
  accepts?: Artifact['kind'][];
}

/** A Runtime that runs nothing real: each deployment is a node:http server in this process. */
export interface FakeRuntime extends Runtime {
  /** Ids of the deployments with a server listening now. */
  running(): string[];
}

interface FakeInstance {
  handle: RuntimeHandle;
  spec: DeploySpec;
  feed: LogRing;
  server?: Server;
  port?: number;
  status: Omit<InstanceStatus, 'endpoints'>;
}

const host = '127.0.0.1';

/** Answers like the fixture app: the health path, then the marker on every other path. */
function answer(instance: FakeInstance, healthStatus: number) {
  const marker = instance.spec.env.HELIX_TEST_MARKER ?? 'helix-fixture';
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.url === instance.spec.healthCheck.path) {
      response.writeHead(healthStatus).end('ok\n');
      return;
    }
    instance.feed.push('stdout', `request ${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`${marker}\n`);
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the fake instance. The spec's environment steers it like the fixture app:
 * HELIX_TEST_EXIT_CODE makes it a crash loop, HELIX_TEST_HEALTH_STATUS its health answer.
 */
async function run(instance: FakeInstance): Promise<void> {
  const { env, healthCheck } = instance.spec;
  if (env.HELIX_TEST_EXIT_CODE !== undefined) {
    const message = `exited with code ${env.HELIX_TEST_EXIT_CODE}`;
    instance.feed.push('stderr', `exiting at once with code ${env.HELIX_TEST_EXIT_CODE}`);
    instance.feed.push('system', message);
    const nextRestartAt = new Date(Date.now() + 30_000).toISOString();
    instance.status = { state: 'crash-loop', healthy: false, restarts: 2, message, nextRestartAt };
    return;
  }
  const healthStatus = Number(env.HELIX_TEST_HEALTH_STATUS ?? 200);
  const server = createServer(answer(instance, healthStatus));
  instance.port = await listen(server, instance.port ?? 0).catch(() => listen(server, 0));
  instance.server = server;
  instance.feed.push('system', `started on port ${instance.port}`);
  const marker = env.HELIX_TEST_MARKER ?? 'helix-fixture';
  instance.feed.push('stdout', `marker ${marker} listening on ${host}:${instance.port}`);
  const healthy = healthStatus >= 200 && healthStatus < 400;
  instance.status = healthy
    ? { state: 'running', healthy, restarts: 0 }
    : {
        state: 'starting',
        healthy,
        restarts: 0,
        message: `the app answered GET ${healthCheck.path} with ${healthStatus} on port ${instance.port}`,
      };
}

async function halt(instance: FakeInstance): Promise<void> {
  const server = instance.server;
  instance.server = undefined;
  instance.status = {
    state: 'stopped',
    healthy: false,
    restarts: instance.status.restarts,
    message: 'stopped',
  };
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  instance.feed.push('system', 'stopped');
}

const gone: InstanceStatus = {
  state: 'stopped',
  healthy: false,
  endpoints: [],
  restarts: 0,
  message: 'not running: destroyed, or never deployed on this runtime',
};

/** The fake runtime other packages' tests use; it passes the same conformance suite as real ones. */
export function fakeRuntime(options: FakeRuntimeOptions = {}): FakeRuntime {
  const id = options.id ?? 'runtime-fake';
  const accepts = options.accepts ?? ['process-bundle'];
  const instances = new Map<string, FakeInstance>();
  const find = (handle: RuntimeHandle): FakeInstance | undefined =>
    handle.runtime === id ? instances.get(handle.deploymentId) : undefined;
  const remove = async (instance: FakeInstance): Promise<void> => {
    instances.delete(instance.spec.deploymentId);
    await halt(instance);
    instance.feed.end();
  };

  return {
    manifest: {
      id,
      kind: 'runtime',
      contractVersion: '1',
      description: 'In-process fake runtime for tests: one HTTP server per deployment.',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities: ['stop', 'start'],
    },
    accepts,
    async deploy(_ctx, { artifact, spec }) {
      if (!accepts.includes(artifact.kind)) {
        throw new HelixError(
          'HLX_RUNTIME_ARTIFACT_INVALID',
          `The fake runtime does not run ${artifact.kind}.`,
        );
      }
      const existing = instances.get(spec.deploymentId);
      if (existing) {
        if (existing.status.state === 'stopped') await run(existing);
        return existing.handle;
      }
      const handle: RuntimeHandle = { runtime: id, deploymentId: spec.deploymentId, data: {} };
      const status = { state: 'starting' as const, healthy: false, restarts: 0 };
      const instance: FakeInstance = { handle, spec, feed: new LogRing(5000), status };
      instances.set(spec.deploymentId, instance);
      await run(instance);
      return handle;
    },
    async status(_ctx, handle) {
      const instance = find(handle);
      if (!instance) return gone;
      const endpoints = instance.server && instance.port ? [{ host, port: instance.port }] : [];
      return { ...instance.status, endpoints };
    },
    async *logs(ctx, handle, logOptions) {
      const instance = find(handle);
      if (instance) yield* instance.feed.read(logOptions, ctx.signal);
    },
    async destroy(_ctx, handle) {
      const instance = find(handle);
      if (instance) await remove(instance);
    },
    async stop(_ctx, handle) {
      const instance = find(handle);
      if (instance) await halt(instance);
    },
    async start(_ctx, handle) {
      const instance = find(handle);
      if (!instance) throw new HelixError('HLX_INVALID_STATE', 'This deployment is not deployed; deploy it.');
      if (instance.status.state === 'stopped') await run(instance);
    },
    async close() {
      await Promise.all([...instances.values()].map(remove));
    },
    running() {
      return [...instances.values()].filter((instance) => instance.server).map((i) => i.spec.deploymentId);
    },
  };
}
