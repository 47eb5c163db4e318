import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Artifact, DeploySpec, OperationContext, Runtime, RuntimeHandle } from '@helixstack/sdk';
import {
  copyProcessApp,
  httpGet,
  type ProcessAppCopy,
  processAppArtifact,
  runtimeTestContext,
  silentLogger,
} from '@helixstack/testkit';
import type { ProcessRuntimeOptions } from './options.ts';
import { processRuntime } from './process-runtime.ts';

/** What the fixture app answers on /info. */
export interface AppInfo {
  pid: number;
  uid: number;
  gid: number;
  cwd: string;
  env: Record<string, string>;
  cgroups: string | null;
  grandchildPid: number | null;
}

/** A runtime with its own state directory and a world-readable copy of the fixture app. */
export interface Harness {
  runtime: Runtime;
  stateDir: string;
  app: ProcessAppCopy;
  ctx: OperationContext;
  artifact(env?: Record<string, string>): Promise<Artifact>;
  spec(deploymentId: string, env?: Record<string, string>, extra?: Partial<DeploySpec>): DeploySpec;
  /** Closes the runtime and removes the directories. */
  dispose(): Promise<void>;
}

export async function harness(options: Partial<ProcessRuntimeOptions> = {}): Promise<Harness> {
  const stateDir = await mkdtemp(join(tmpdir(), 'helix-runtime-state-'));
  const app = await copyProcessApp();
  const runtime = processRuntime({ stopGraceMs: 2000, ...options, stateDir });
  await runtime.init?.({ logger: silentLogger, signal: new AbortController().signal });
  return {
    runtime,
    stateDir,
    app,
    ctx: runtimeTestContext(),
    artifact: (env) => processAppArtifact(app.dir, env),
    spec: (deploymentId, env = {}, extra = {}) => ({
      deploymentId,
      env: { HELIX_DEPLOYMENT_ID: deploymentId, ...env },
      healthCheck: { path: '/health', deadlineMs: 20_000, intervalMs: 50 },
      ...extra,
    }),
    async dispose() {
      await runtime.close?.();
      await app.remove();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Asks a running fixture app about itself. */
export async function appInfo(
  runtime: Runtime,
  ctx: OperationContext,
  handle: RuntimeHandle,
): Promise<AppInfo> {
  const endpoint = (await runtime.status(ctx, handle)).endpoints[0];
  if (!endpoint) throw new Error('The app has no endpoint');
  return JSON.parse((await httpGet(`http://${endpoint.host}:${endpoint.port}/info`)).body) as AppInfo;
}

/** Every log line of a deployment as "stream: text", for assertions that read like the log. */
export async function logText(
  runtime: Runtime,
  ctx: OperationContext,
  handle: RuntimeHandle,
): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of runtime.logs(ctx, handle, {})) lines.push(`${line.stream}: ${line.text}`);
  return lines;
}
