import type { Artifact, Builder, BuildInput, BuildPlan, OperationContext, SourceTree } from '@helixstack/sdk';
import { buildNodeApp } from './build.ts';
import { type ListNodeVersions, registryNodeVersions } from './node-versions.ts';
import { nodeBuilderId, planNodeApp } from './plan.ts';

export interface NodeBuilderOptions {
  /** Where Node versions are installed (<toolsDir>/node/<version>/) and corepack keeps pnpm and yarn. */
  toolsDir: string;
  /** Lists installable Node versions; the npm registry's node-<platform>-<arch> by default. */
  listNodeVersions?: ListNodeVersions;
  /**
   * How pnpm and yarn are fetched: corepack (default when the server has it) verifies
   * npm's signatures, which some registry mirrors strip; npx relies on the lockfile-style
   * integrity of the registry instead.
   */
  packageManagerLauncher?: 'corepack' | 'npx';
}

/** Builds any folder with package.json: a Node server, or a front-end whose build writes a static folder. */
export function nodeBuilder(options: NodeBuilderOptions): Builder {
  const listNodeVersions = options.listNodeVersions ?? registryNodeVersions();
  return {
    manifest: {
      id: nodeBuilderId,
      kind: 'builder',
      contractVersion: '1',
      description:
        'Builds Node.js apps (npm, pnpm, yarn; engines.node) into a process bundle or a static site.',
      configSchema: {
        type: 'object',
        properties: {
          toolsDir: { type: 'string', description: 'Folder for Node versions and package managers.' },
        },
        additionalProperties: false,
      },
      capabilities: [],
    },

    detect(source: SourceTree): Promise<BuildPlan | null> {
      return planNodeApp(source.dir, listNodeVersions);
    },

    build(ctx: OperationContext, input: BuildInput): Promise<Artifact> {
      return buildNodeApp(ctx, input, {
        toolsDir: options.toolsDir,
        launcher: options.packageManagerLauncher ?? 'corepack',
      });
    },
  };
}
