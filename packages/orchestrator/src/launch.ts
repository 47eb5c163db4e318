import { deploymentUrl } from '@helixstack/api';
import { deployments } from '@helixstack/db';
import { HelixError, type OperationContext } from '@helixstack/sdk';
import { eq } from 'drizzle-orm';
import { deploymentEnv } from './deployment-env.ts';
import type { DeploymentRecord } from './deployment-record.ts';
import type { PlaneDeps } from './deps.ts';
import { recordInstance } from './instance-record.ts';
import type { LogWriter } from './log-writer.ts';
import type { StoredArtifact } from './stored-artifact.ts';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Starts an artifact on the runtime that accepts its kind and waits until its health
 * check passes. Past the deadline the instance is destroyed and the error says why;
 * traffic never moved to it. Static artifacts need no instance: the router serves them.
 */
export async function launch(
  deps: PlaneDeps,
  record: DeploymentRecord,
  artifact: StoredArtifact,
  ctx: OperationContext,
  log: LogWriter,
): Promise<void> {
  if (artifact.kind === 'static') return;
  const runtime = deps.registry
    .list('runtime')
    .find((candidate) => candidate.accepts.includes(artifact.kind));
  if (!runtime)
    throw new HelixError('HLX_PLUGIN_NOT_FOUND', `No runtime plug-in runs ${artifact.kind} artifacts.`);
  const id = record.deployment.id;
  const env = await deploymentEnv(deps.db, deps.secretBox, record, {
    deployment: deploymentUrl(record.project.name, id, deps.hostnames),
  });
  const handle = await runtime.deploy(ctx, {
    artifact,
    spec: { deploymentId: id, env, healthCheck: artifact.healthCheck },
  });
  await deps.db
    .update(deployments)
    .set({ runtimeHandle: { ...handle } })
    .where(eq(deployments.id, id));
  const instance = deps.instances.add(id, runtime, handle, ctx);
  const { path, deadlineMs, intervalMs } = artifact.healthCheck;
  log.system(`Waiting for the app to answer GET ${path} (up to ${Math.round(deadlineMs / 1000)} s)`);
  const deadline = Date.now() + deadlineMs;
  let lastState = '';
  while (!ctx.signal.aborted) {
    const status = await runtime.status(ctx, handle);
    instance.status = status;
    if (status.state !== lastState) {
      lastState = status.state;
      await recordInstance(deps.db, id, status);
      if (status.state === 'crash-loop')
        log.system(`The app keeps crashing (${status.restarts} restarts): ${status.message ?? ''}`);
    }
    if (status.healthy) {
      await recordInstance(deps.db, id, status);
      log.system(`Health check passed on ${status.endpoints.map((e) => `${e.host}:${e.port}`).join(', ')}`);
      return;
    }
    if (Date.now() > deadline) {
      await runtime.destroy(ctx, handle).catch(() => {});
      deps.instances.remove(id);
      throw new HelixError(
        'HLX_HEALTH_CHECK_FAILED',
        `The app did not answer GET ${path} with 2xx or 3xx within ${Math.round(deadlineMs / 1000)} s: ${status.message ?? status.state}.`,
      );
    }
    await sleep(intervalMs, ctx.signal);
  }
  await runtime.destroy(ctx, handle).catch(() => {});
  deps.instances.remove(id);
  throw new HelixError('HLX_CANCELED', 'The deployment was canceled while starting.');
}
