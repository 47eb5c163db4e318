import { canTransition, type DeploymentState } from '@helixstack/core';
import { type Database, deployments } from '@helixstack/db';
import { and, eq } from 'drizzle-orm';

/**
 * Moves a deployment to `to` only if it is still in `from` (a cancel may have won the
 * race); returns whether it moved. Other columns can be set in the same statement.
 */
export async function transition(
  db: Database,
  id: string,
  from: DeploymentState,
  to: DeploymentState,
  set: Partial<typeof deployments.$inferInsert> = {},
): Promise<boolean> {
  if (from !== to && !canTransition(from, to)) return false;
  const moved = await db
    .update(deployments)
    .set({ ...set, state: to, updatedAt: new Date(), ...(to === 'READY' ? { readyAt: new Date() } : {}) })
    .where(and(eq(deployments.id, id), eq(deployments.state, from)))
    .returning({ id: deployments.id });
  return moved.length === 1;
}
