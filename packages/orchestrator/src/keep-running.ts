import { type Database, deployments, hostLabels } from '@helixstack/db';
import { and, desc, eq } from 'drizzle-orm';

/**
 * The deployments of a project that keep running: what an alias points at, the previous
 * production deployment (so a rollback is instant), and the newest READY deployment of
 * each environment (so a fresh preview URL works). Everything else is stopped.
 */
export async function deploymentsToKeep(db: Database, projectId: string): Promise<Set<string>> {
  const keep = new Set<string>();
  const labels = await db
    .select({
      kind: hostLabels.kind,
      deploymentId: hostLabels.deploymentId,
      previous: hostLabels.previousDeploymentId,
    })
    .from(hostLabels)
    .where(eq(hostLabels.projectId, projectId));
  for (const label of labels) {
    if (label.kind === 'deployment') continue;
    if (label.deploymentId) keep.add(label.deploymentId);
    if (label.kind === 'production' && label.previous) keep.add(label.previous);
  }
  const ready = await db
    .select({ id: deployments.id, environmentId: deployments.environmentId })
    .from(deployments)
    .where(and(eq(deployments.projectId, projectId), eq(deployments.state, 'READY')))
    .orderBy(desc(deployments.id));
  const seen = new Set<string>();
  for (const row of ready) {
    if (seen.has(row.environmentId)) continue;
    seen.add(row.environmentId);
    keep.add(row.id);
  }
  return keep;
}
