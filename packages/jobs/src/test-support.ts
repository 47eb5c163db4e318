import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Database,
  deployments,
  environments,
  jobs,
  newId,
  organizations,
  projects,
} from '@helixstack/db';
import { eq, sql } from 'drizzle-orm';

/** Polls until `check` returns a value other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Moves a job's run_after to the past, as if its backoff had elapsed. */
export async function makeDue(db: Database, jobId: string): Promise<void> {
  await db.update(jobs).set({ runAfter: sql`now() - interval '1 second'` }).where(eq(jobs.id, jobId));
}

/** A deployment row (with its org, project and environment) for jobs that name one. */
export async function createDeployment(db: Database): Promise<string> {
  const orgId = newId('org');
  const projectId = newId('prj');
  const environmentId = newId('env');
  const deploymentId = newId('dpl');
  await db.insert(organizations).values({ id: orgId, name: orgId });
  await db.insert(projects).values({ id: projectId, orgId, name: projectId.replace('_', '-') });
  await db
    .insert(environments)
    .values({ id: environmentId, projectId, name: 'production', kind: 'production' });
  await db.insert(deployments).values({ id: deploymentId, projectId, environmentId });
  return deploymentId;
}
