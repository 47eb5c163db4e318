import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deploymentUrl } from '@helixstack/api';
import { pointBranchAlias, pointProductionAlias } from '@helixstack/db';
import type { Job } from '@helixstack/jobs';
import { branchLabel } from '@helixstack/router';
import {
  type BuildCache,
  type Builder,
  type BuildPlan,
  HelixError,
  type OperationContext,
  type SourceSpec,
} from '@helixstack/sdk';
import { operationContext } from './context.ts';
import { deploymentEnv } from './deployment-env.ts';
import { type DeploymentRecord, loadDeployment, scopeOf } from './deployment-record.ts';
import type { PlaneDeps } from './deps.ts';
import { launch } from './launch.ts';
import { LogWriter } from './log-writer.ts';
import { readHealthCheck } from './project-config.ts';
import { type StoredArtifact, storedArtifact } from './stored-artifact.ts';
import { transition } from './transitions.ts';

function buildCache(root: string): BuildCache {
  return {
    async dir(key) {
      const path = join(root, key.replace(/[^A-Za-z0-9._-]/g, '_'));
      const hit = await mkdir(path, { recursive: true }).then((created) => created === undefined);
      return { path, hit };
    },
  };
}

/**
 * The build job: fetch the source, let the first builder that recognises it build it,
 * start the artifact beside what serves now, and switch the aliases once it is healthy.
 * Any failure leaves the deployment ERROR with the reason in its logs and the aliases
 * where they were.
 */
export async function runBuildJob(
  deps: PlaneDeps,
  job: Job,
  signal: AbortSignal,
  goLive: (record: DeploymentRecord) => Promise<void>,
): Promise<void> {
  const record = await loadDeployment(deps.db, job.deploymentId!);
  const id = record.deployment.id;
  if (
    record.deployment.state === 'CANCELED' ||
    record.deployment.state === 'READY' ||
    record.deployment.state === 'ERROR'
  )
    return;
  const log = new LogWriter(deps.logs, id);
  const ctx = operationContext({
    logger: deps.logger.child({ deployment: id }),
    signal,
    scope: scopeOf(record),
    log,
  });
  try {
    const artifact =
      record.deployment.state === 'DEPLOYING' ? storedArtifact(record.deployment.artifact) : undefined;
    if (!artifact) await build(deps, record, ctx, log, job.attempts);
    const built = artifact ?? storedArtifact((await loadDeployment(deps.db, id)).deployment.artifact);
    if (!built) return;
    await launch(deps, record, built, ctx, log);
    if (!(await transition(deps.db, id, 'DEPLOYING', 'READY'))) {
      await deps.instances.get(id)?.runtime.destroy(ctx, deps.instances.get(id)!.handle);
      deps.instances.remove(id);
      return;
    }
    await goLive(await loadDeployment(deps.db, id));
    log.system('Deployment is READY');
  } catch (error) {
    // Shutdown or a lost lease: the job goes back to the queue and another attempt resumes it.
    const stop = signal.reason as { reason?: string } | undefined;
    if (signal.aborted && stop?.reason !== 'canceled') throw error;
    const message = error instanceof HelixError ? error.message : `Build failed: ${(error as Error).message}`;
    log.system(`Error: ${message}`);
    await log.flush();
    const current = (await loadDeployment(deps.db, id)).deployment.state;
    if (current !== 'CANCELED') await transition(deps.db, id, current, 'ERROR', { errorMessage: message });
    if (!(error instanceof HelixError))
      deps.logger.error({ err: error, deployment: id }, 'build failed unexpectedly');
  } finally {
    await log.flush();
  }
}

/** Fetches and builds the source, then records the plan and artifact and moves to DEPLOYING. */
async function build(
  deps: PlaneDeps,
  record: DeploymentRecord,
  ctx: OperationContext,
  log: LogWriter,
  attempt: number,
) {
  const id = record.deployment.id;
  const work = join(deps.dataDir, 'work', id);
  if (!(await transition(deps.db, id, record.deployment.state, 'BUILDING'))) return;
  if (attempt > 1) log.system(`Retrying the build (attempt ${attempt}).`);
  log.system('Building');
  const spec = record.deployment.source as unknown as SourceSpec;
  const source = deps.registry.list('source').find((candidate) => candidate.handles.includes(spec.type));
  if (!source)
    throw new HelixError('HLX_SOURCE_REQUIRED', `No source plug-in fetches "${spec.type}" sources.`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const tree = await source.fetch(ctx, { spec, dest: join(work, 'source') });
    let plan: BuildPlan | null = null;
    let builder: Builder | undefined;
    for (const candidate of deps.registry.list('builder')) {
      plan = await candidate.detect(tree);
      if (plan) {
        builder = candidate;
        break;
      }
    }
    if (!plan || !builder) throw new HelixError('HLX_NO_BUILDER');
    log.system(`Plan: ${plan.summary}`);
    const env = await deploymentEnv(deps.db, deps.secretBox, record, {
      deployment: deploymentUrl(record.project.name, id, deps.hostnames),
    });
    const outputDir = join(deps.dataDir, 'artifacts', id);
    await rm(outputDir, { recursive: true, force: true });
    await mkdir(outputDir, { recursive: true });
    const cache = buildCache(join(deps.dataDir, 'cache'));
    const built = await builder.build(ctx, { source: tree, plan, env, cache, outputDir });
    const artifact: StoredArtifact = { ...built, healthCheck: await readHealthCheck(tree.dir) };
    log.system(`Built a ${artifact.kind} artifact (${artifact.digest.slice(0, 12)})`);
    await transition(deps.db, id, 'BUILDING', 'DEPLOYING', { plan: { ...plan }, artifact: { ...artifact } });
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

/** Points the deployment's aliases at it: production for the production environment, and its branch alias. */
export async function pointAliases(deps: PlaneDeps, record: DeploymentRecord, log: LogWriter): Promise<void> {
  if (record.environment.kind === 'production')
    await pointProductionAlias(deps.db, record.project.id, record.deployment.id);
  if (record.deployment.branch) {
    const label = branchLabel(record.project.name, record.deployment.branch);
    const pointed = await pointBranchAlias(deps.db, {
      projectId: record.project.id,
      label,
      branch: record.deployment.branch,
      deploymentId: record.deployment.id,
    });
    if (!pointed) log.system(`The branch alias ${label} is taken by something else; it was not moved.`);
  }
}
