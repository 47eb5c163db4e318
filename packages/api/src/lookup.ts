import { type Database, environments, projects } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, eq, or } from 'drizzle-orm';

/** A project of another organization is as absent as one that never existed. */
export async function findProject(db: Database, orgId: string, idOrName: string) {
  const [project] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.orgId, orgId), or(eq(projects.id, idOrName), eq(projects.name, idOrName))))
    .limit(1);
  if (!project) throw new HelixError('HLX_NOT_FOUND', `No project "${idOrName}".`);
  return project;
}

export async function findEnvironment(db: Database, projectId: string, idOrName: string) {
  const [environment] = await db
    .select()
    .from(environments)
    .where(
      and(
        eq(environments.projectId, projectId),
        or(eq(environments.id, idOrName), eq(environments.name, idOrName)),
      ),
    )
    .limit(1);
  if (!environment) throw new HelixError('HLX_NOT_FOUND', `No environment "${idOrName}" in this project.`);
  return environment;
}
