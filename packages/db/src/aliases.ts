import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './open.ts';
import { hostLabels } from './schema.ts';

/**
 * Points a project's production alias at a deployment in one statement, remembering
 * where it pointed before (for rollback). Returns the deployment it pointed at before.
 */
export async function pointProductionAlias(
  db: Database,
  projectId: string,
  deploymentId: string,
): Promise<string | null> {
  const [before] = await db
    .select({ deploymentId: hostLabels.deploymentId })
    .from(hostLabels)
    .where(and(eq(hostLabels.projectId, projectId), eq(hostLabels.kind, 'production')));
  await db
    .update(hostLabels)
    .set({
      previousDeploymentId: sql`CASE WHEN ${hostLabels.deploymentId} = ${deploymentId} THEN ${hostLabels.previousDeploymentId} ELSE ${hostLabels.deploymentId} END`,
      deploymentId,
      updatedAt: new Date(),
    })
    .where(and(eq(hostLabels.projectId, projectId), eq(hostLabels.kind, 'production')));
  return before?.deploymentId ?? null;
}

/**
 * Points the branch alias of a project at a deployment, creating the label on first use.
 * A label taken by anything else is left alone: a clash is refused, never taken over.
 */
export async function pointBranchAlias(
  db: Database,
  input: { projectId: string; label: string; branch: string; deploymentId: string },
): Promise<boolean> {
  const [row] = await db
    .insert(hostLabels)
    .values({
      label: input.label,
      projectId: input.projectId,
      kind: 'branch',
      branch: input.branch,
      deploymentId: input.deploymentId,
    })
    .onConflictDoUpdate({
      target: hostLabels.label,
      set: { deploymentId: input.deploymentId, updatedAt: new Date() },
      setWhere: and(
        eq(hostLabels.projectId, input.projectId),
        eq(hostLabels.kind, 'branch'),
        eq(hostLabels.branch, input.branch),
      ),
    })
    .returning({ deploymentId: hostLabels.deploymentId });
  return row?.deploymentId === input.deploymentId;
}
