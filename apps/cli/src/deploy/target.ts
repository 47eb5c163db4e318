import type { HelixClient, Project } from '@helixstack/client';
import { HelixError, isDnsLabel } from '@helixstack/sdk';

/**
 * What a "<deployment-id|project>" argument names. Project names are DNS labels, which cannot
 * hold the "_" of a deployment id, so the two never collide.
 */
export type Target = { kind: 'deployment'; id: string } | { kind: 'project'; name: string };

export function parseTarget(argument: string): Target {
  return isDnsLabel(argument) ? { kind: 'project', name: argument } : { kind: 'deployment', id: argument };
}

/** The deployment serving a project's production, or an error saying there is none yet. */
export async function productionDeploymentId(
  client: HelixClient,
  project: string,
): Promise<{ id: string; project: Project }> {
  const found = await client.getProject(project);
  if (!found.productionDeploymentId) {
    throw new HelixError(
      'HLX_CLI_NO_DEPLOYMENT',
      `Project ${found.name} has no production deployment yet; pass a deployment id (see "helix ls") or run "helix deploy --prod".`,
    );
  }
  return { id: found.productionDeploymentId, project: found };
}
