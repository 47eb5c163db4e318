import { type Database, deployments } from '@helixstack/db';
import type { InstanceStatus } from '@helixstack/sdk';
import { eq } from 'drizzle-orm';

/**
 * Writes what the runtime last said about a deployment's instance: `helix inspect` shows
 * it, and routers in other processes route by its health and endpoints.
 */
export async function recordInstance(
  db: Database,
  deploymentId: string,
  status: InstanceStatus,
): Promise<void> {
  await db
    .update(deployments)
    .set({ instance: { ...status, checkedAt: new Date().toISOString() } })
    .where(eq(deployments.id, deploymentId));
}
