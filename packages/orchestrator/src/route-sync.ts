import type { Hostnames } from '@helixstack/api';
import { type Database, deployments, domains, hostLabels } from '@helixstack/db';
import type { MemoryRouteTable, RouteTarget } from '@helixstack/router';
import { and, eq, isNotNull } from 'drizzle-orm';
import { storedArtifact } from './stored-artifact.ts';

type DeploymentRow = typeof deployments.$inferSelect;

/**
 * Rebuilds the edge router's table from the host labels and the instance health recorded
 * in the database, and swaps it in at once: a request sees the old table or the new.
 */
export class RouteSync {
  readonly #db: Database;
  readonly #routes: MemoryRouteTable;
  readonly #hostnames: Hostnames;
  #running: Promise<void> = Promise.resolve();

  constructor(db: Database, routes: MemoryRouteTable, hostnames: Hostnames) {
    this.#db = db;
    this.#routes = routes;
    this.#hostnames = hostnames;
  }

  /** Serialised: two refreshes never interleave, and the last one wins with fresh data. */
  refresh(): Promise<void> {
    this.#running = this.#running.then(() => this.#refresh()).catch(() => {});
    return this.#running;
  }

  targetOf(deployment: DeploymentRow): RouteTarget {
    const base = { deploymentId: deployment.id, projectId: deployment.projectId };
    const artifact = storedArtifact(deployment.artifact);
    if (deployment.state !== 'READY' || !artifact) {
      return {
        kind: 'unavailable',
        status: 503,
        reason: 'This deployment is not ready yet.',
        retryAfterSeconds: 5,
        ...base,
      };
    }
    if (artifact.kind === 'static') return { kind: 'static', root: artifact.ref, ...base };
    // The instance as last reported to the database, so a router in another process sees it too.
    const instance = deployment.instance as {
      healthy?: boolean;
      endpoints?: { host: string; port: number }[];
    } | null;
    if (deployment.desired === 'running' && instance?.healthy && instance.endpoints?.length) {
      return { kind: 'upstream', upstreams: instance.endpoints, ...base };
    }
    const reason =
      deployment.desired === 'stopped'
        ? 'This deployment is stopped; promote it to serve again.'
        : 'This deployment is starting or restarting.';
    return { kind: 'unavailable', status: 503, reason, retryAfterSeconds: 5, ...base };
  }

  async #refresh(): Promise<void> {
    const labels = await this.#db
      .select({
        label: hostLabels.label,
        kind: hostLabels.kind,
        projectId: hostLabels.projectId,
        deployment: deployments,
      })
      .from(hostLabels)
      .innerJoin(deployments, eq(deployments.id, hostLabels.deploymentId))
      .where(isNotNull(hostLabels.deploymentId));
    const table = new Map<string, RouteTarget>();
    const production = new Map<string, RouteTarget>();
    for (const row of labels) {
      const target = this.targetOf(row.deployment);
      table.set(`${row.label}.${this.#hostnames.baseDomain}`, target);
      if (row.kind === 'production') production.set(row.projectId, target);
    }
    const custom = await this.#db
      .select({ hostname: domains.hostname, projectId: domains.projectId })
      .from(domains)
      .innerJoin(
        hostLabels,
        and(eq(hostLabels.projectId, domains.projectId), eq(hostLabels.kind, 'production')),
      );
    for (const domain of custom) {
      const target = production.get(domain.projectId);
      if (target) table.set(domain.hostname, target);
    }
    this.#routes.replaceAll(table);
  }
}
