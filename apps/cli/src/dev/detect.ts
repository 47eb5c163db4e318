import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type NodePlanDetails, nodeBuilder } from '@helixstack/builder-node';
import { HelixError } from '@helixstack/sdk';

export type DevPlan = { kind: 'node'; summary: string; details: NodePlanDetails } | { kind: 'static' };

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Decides how to run `dir` with the node builder's own detection, so that helix dev installs,
 * builds and starts the app as a deployment would. Node versions are not listed: locally the
 * app runs on the Node that runs helix, which must satisfy engines.node.
 */
export async function detectDevPlan(dir: string, toolsDir: string): Promise<DevPlan> {
  const builder = nodeBuilder({ toolsDir, listNodeVersions: async () => [] });
  let plan: Awaited<ReturnType<typeof builder.detect>>;
  try {
    plan = await builder.detect({ dir, digest: '' });
  } catch (error) {
    if (error instanceof HelixError && error.code === 'HLX_BUILD_NODE_VERSION') {
      throw new HelixError(
        'HLX_BUILD_NODE_VERSION',
        `${error.message} helix dev runs the app on your Node.js ${process.versions.node}; switch to a matching version.`,
      );
    }
    throw error;
  }
  if (plan) return { kind: 'node', summary: plan.summary, details: plan.details as NodePlanDetails };
  if (await exists(join(dir, 'index.html'))) return { kind: 'static' };
  throw new HelixError('HLX_CLI_DEV_NOTHING_TO_RUN');
}

/** Folders a front-end build writes to, looked for in the node builder's order. */
const staticOutputDirs = ['dist', 'build', 'out', 'public'];

/** The folder a build without a server produced, or undefined. */
export async function findStaticOutput(dir: string): Promise<string | undefined> {
  for (const name of staticOutputDirs) {
    if (await exists(join(dir, name, 'index.html'))) return join(dir, name);
  }
  return undefined;
}
