import { type Database, deployments, environments, projects } from '@helixstack/db';
import { HelixError, type Scope } from '@helixstack/sdk';
import { eq } from 'drizzle-orm';

/** A deployment with the names of its project and environment, as the planes need them. */
export interface DeploymentRecord {
  deployment: typeof deployments.$inferSelect;
  project: typeof projects.$inferSelect;
  environment: typeof environments.$inferSelect;
}

export async function loadDeployment(db: Database, id: string): Promise<DeploymentRecord> {
  const [row] = await db
    .select({ deployment: deployments, project: projects, environment: environments })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.id, id));
  if (!row) throw new HelixError('HLX_NOT_FOUND', `No deployment "${id}".`);
  return row;
}

export function scopeOf(record: DeploymentRecord): Scope {
  return { org: record.project.orgId, project: record.project.name, environment: record.environment.name };
}
