import { type Database, deployments, environments, projects } from '@helixstack/db';
import { HelixError, type Scope } from '@helixstack/sdk';
import { and, eq } from 'drizzle-orm';

/** A deployment with the names of its project and environment, as the planes need them. */
export interface DeploymentRecord {
  deployment: typeof deployments.$inferSelect;
  project: typeof projects.$inferSelect;
  environment: typeof environments.$inferSelect;
}

function selectRecords(db: Database) {
  return db
    .select({ deployment: deployments, project: projects, environment: environments })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId));
}

/** Every READY deployment that should be running, in one query. */
export function loadRunningDeployments(db: Database): Promise<DeploymentRecord[]> {
  return selectRecords(db).where(and(eq(deployments.state, 'READY'), eq(deployments.desired, 'running')));
}

export async function loadDeployment(db: Database, id: string): Promise<DeploymentRecord> {
  const [row] = await selectRecords(db).where(eq(deployments.id, id));
  if (!row) throw new HelixError('HLX_NOT_FOUND', `No deployment "${id}".`);
  return row;
}

export function scopeOf(record: DeploymentRecord): Scope {
  return { org: record.project.orgId, project: record.project.name, environment: record.environment.name };
}
