import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact, Builder, BuildInput, BuildPlan, OperationContext, SourceTree } from '@helixstack/sdk';
import { copyTree } from './copy-tree.ts';
import { treeDigest } from './tree-digest.ts';
import { makeFolderEnterable, makeWorldReadable } from './world-readable.ts';

export const staticBuilderId = 'builder-static';

/** Never part of a site: version control and HelixStack's own folder. */
const notServed: ReadonlySet<string> = new Set(['.git', '.helix', 'node_modules']);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Copies a finished site into `<outputDir>/static`, readable by everyone, and returns its
 * artifact. The node builder uses it too for apps whose build writes a static folder.
 */
export async function packageStaticSite(
  ctx: OperationContext,
  siteDir: string,
  outputDir: string,
  metadata: Record<string, string> = {},
): Promise<Artifact> {
  const ref = join(outputDir, 'static');
  ctx.progress('copying the site');
  const files = await copyTree(siteDir, ref, { skipAtRoot: notServed });
  ctx.output('system', `copied ${files} files of the site`);
  await makeWorldReadable(ref);
  await makeFolderEnterable(outputDir);
  const digest = await treeDigest(ref);
  ctx.output('system', `static artifact sha256:${digest}`);
  const facts: Record<string, string> = { index: 'index.html', ...metadata };
  if (await exists(join(ref, '404.html'))) facts.notFound = '404.html';
  return { kind: 'static', ref, digest, metadata: facts };
}

/** A folder with index.html at its root and no package.json: served as it is. */
export function staticBuilder(): Builder {
  return {
    manifest: {
      id: staticBuilderId,
      kind: 'builder',
      contractVersion: '1',
      description: 'Serves a folder with index.html at its root as a static site.',
      configSchema: { type: 'object', properties: {}, additionalProperties: false },
      capabilities: [],
    },

    async detect(source: SourceTree): Promise<BuildPlan | null> {
      if (!(await exists(join(source.dir, 'index.html')))) return null;
      if (await exists(join(source.dir, 'package.json'))) return null;
      const notFound = await exists(join(source.dir, '404.html'));
      return {
        builder: staticBuilderId,
        summary: `static site, index.html${notFound ? ', 404.html' : ''}`,
        details: { index: 'index.html', notFound: notFound ? '404.html' : null },
      };
    },

    async build(ctx: OperationContext, input: BuildInput): Promise<Artifact> {
      ctx.signal.throwIfAborted();
      ctx.output('system', `building a static site from ${input.plan.details.index ?? 'index.html'}`);
      try {
        return await packageStaticSite(ctx, input.source.dir, input.outputDir);
      } catch (error) {
        await rm(join(input.outputDir, 'static'), { recursive: true, force: true });
        throw error;
      }
    },
  };
}
