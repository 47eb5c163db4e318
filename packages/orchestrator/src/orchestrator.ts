import { deployments, pointProductionAlias } from '@helixstack/db';
import type { JobHandler, JobQueue } from '@helixstack/jobs';
import { and, eq } from 'drizzle-orm';
import { pointAliases, runBuildJob } from './build-job.ts';
import { operationContext } from './context.ts';
import {
  type DeploymentRecord,
  loadDeployment,
  loadRunningDeployments,
  scopeOf,
} from './deployment-record.ts';
import type { PlaneDeps } from './deps.ts';
import { recordInstance } from './instance-record.ts';
import { deploymentsToKeep } from './keep-running.ts';
import { launch } from './launch.ts';
import { LogWriter } from './log-writer.ts';
import { storedArtifact } from './stored-artifact.ts';

const reconcileEveryMs = 2000;

/**
 * The build and runtime planes of one server: runs build jobs, moves aliases once a new
 * deployment is healthy, stops what no alias needs after its requests drained, and keeps
 * reconciling what should run against what the runtimes report.
 */
export class Orchestrator {
  readonly #deps: PlaneDeps;
  readonly #queue: JobQueue;
  readonly #launching = new Map<string, Promise<void>>();
  readonly #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #reconciling: Promise<void> | undefined;

  constructor(deps: PlaneDeps, queue: JobQueue) {
    this.#deps = deps;
    this.#queue = queue;
  }

  readonly handleBuild: JobHandler = (job, { signal }) =>
    runBuildJob(this.#deps, job, signal, (record) => this.#goLive(record));

  async enqueueBuild(deploymentId: string, projectId: string, environmentId: string): Promise<void> {
    await this.#queue.enqueue({
      kind: 'build',
      concurrencyKey: `${projectId}:${environmentId}`,
      deploymentId,
    });
  }

  /** Starts reconciling now and every two seconds. */
  start(): void {
    const tick = () => {
      this.#reconciling = this.reconcile()
        .catch((error) => this.#deps.logger.error({ err: error }, 'reconcile failed'))
        .finally(() => {
          if (!this.#stopping.signal.aborted) this.#timer = setTimeout(tick, reconcileEveryMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#timer);
    await this.#reconciling;
    await Promise.allSettled(this.#launching.values());
  }

  /** Moves production to a READY deployment, starting it again first if it was stopped. */
  async promote(projectId: string, deploymentId: string): Promise<void> {
    const record = await loadDeployment(this.#deps.db, deploymentId);
    if (record.deployment.desired !== 'running') {
      await this.#deps.db
        .update(deployments)
        .set({ desired: 'running' })
        .where(eq(deployments.id, deploymentId));
      record.deployment.desired = 'running';
    }
    await this.#ensureRunning(record);
    await pointProductionAlias(this.#deps.db, projectId, deploymentId);
    await this.#deps.routes.refresh();
    await this.#retire(projectId);
  }

  /** Stops the build or the instance of a canceled deployment. */
  async cancel(deploymentId: string): Promise<void> {
    for (const job of await this.#queue.list({ deploymentId })) {
      if (job.state === 'queued' || job.state === 'running') await this.#queue.cancel(job.id);
    }
    await this.#destroy(deploymentId);
    await this.#deps.routes.refresh();
  }

  /** Level-triggered: every READY deployment that should run has a healthy instance. */
  async reconcile(): Promise<void> {
    const records = await loadRunningDeployments(this.#deps.db);
    await Promise.allSettled(
      records.map(async (record) => {
        const id = record.deployment.id;
        const instance = this.#deps.instances.get(id);
        if (!instance) {
          if (!this.#launching.has(id)) void this.#ensureRunning(record).catch(() => {});
          return;
        }
        const ctx = this.#context(record, new LogWriter(this.#deps.logs, id));
        const status = await instance.runtime.status(ctx, instance.handle);
        const changed = (value: typeof status) =>
          JSON.stringify([value.state, value.healthy, value.endpoints, value.restarts]);
        if (changed(status) !== changed(instance.status)) {
          await recordInstance(this.#deps.db, id, status);
        }
        instance.status = status;
      }),
    );
    await this.#deps.routes.refresh();
    const projects = new Set(records.map((record) => record.project.id));
    for (const projectId of projects) await this.#retire(projectId);
  }

  async #goLive(record: DeploymentRecord): Promise<void> {
    await pointAliases(this.#deps, record, new LogWriter(this.#deps.logs, record.deployment.id));
    await this.#deps.routes.refresh();
    await this.#retire(record.project.id);
  }

  /** Starts the instance of a READY deployment unless it has one; concurrent callers share one start. */
  #ensureRunning(record: DeploymentRecord): Promise<void> {
    const id = record.deployment.id;
    const artifact = storedArtifact(record.deployment.artifact);
    if (!artifact || artifact.kind === 'static' || this.#deps.instances.get(id)?.status.healthy)
      return Promise.resolve();
    const running = this.#launching.get(id);
    if (running) return running;
    const log = new LogWriter(this.#deps.logs, id);
    log.system('Starting the deployment again');
    const start = launch(this.#deps, record, artifact, this.#context(record, log), log)
      .then(() => this.#deps.routes.refresh())
      .catch(async (error: Error) => {
        log.system(`Could not start: ${error.message}`);
        await recordInstance(this.#deps.db, id, {
          state: 'failed',
          healthy: false,
          endpoints: [],
          restarts: 0,
          message: error.message,
        });
        throw error;
      })
      .finally(() => {
        this.#launching.delete(id);
        void log.flush();
      });
    this.#launching.set(id, start);
    return start;
  }

  /** Stops the project's deployments that nothing needs, once their requests drained. */
  async #retire(projectId: string): Promise<void> {
    const keep = await deploymentsToKeep(this.#deps.db, projectId);
    const running = await this.#deps.db
      .select({ id: deployments.id, artifact: deployments.artifact })
      .from(deployments)
      .where(
        and(
          eq(deployments.projectId, projectId),
          eq(deployments.desired, 'running'),
          eq(deployments.state, 'READY'),
        ),
      );
    // A static site costs nothing to keep: the router serves its files, so its URL stays live.
    const retiring = running
      .filter(({ id, artifact }) => !keep.has(id) && storedArtifact(artifact)?.kind !== 'static')
      .map(({ id }) => id);
    if (retiring.length === 0) return;
    for (const id of retiring) {
      await this.#deps.db.update(deployments).set({ desired: 'stopped' }).where(eq(deployments.id, id));
    }
    await this.#deps.routes.refresh();
    await Promise.all(
      retiring.map(async (id) => {
        await Promise.race([
          this.#deps.drained(id),
          new Promise((resolve) => setTimeout(resolve, this.#deps.drainTimeoutMs)),
        ]);
        await this.#destroy(id);
        new LogWriter(this.#deps.logs, id).system(
          'Stopped: a newer deployment replaced it and its requests drained.',
        );
      }),
    );
  }

  async #destroy(deploymentId: string): Promise<void> {
    const instance = this.#deps.instances.get(deploymentId);
    if (!instance) return;
    const record = await loadDeployment(this.#deps.db, deploymentId);
    await instance.runtime.destroy(
      this.#context(record, new LogWriter(this.#deps.logs, deploymentId)),
      instance.handle,
    );
    this.#deps.instances.remove(deploymentId);
    await recordInstance(this.#deps.db, deploymentId, {
      state: 'stopped',
      healthy: false,
      endpoints: [],
      restarts: instance.status.restarts,
    });
  }

  #context(record: DeploymentRecord, log: LogWriter) {
    return operationContext({
      logger: this.#deps.logger.child({ deployment: record.deployment.id }),
      signal: this.#stopping.signal,
      scope: scopeOf(record),
      log,
    });
  }
}
