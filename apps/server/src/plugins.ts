import { join } from 'node:path';
import { nodeBuilder } from '@helixstack/builder-node';
import { staticBuilder } from '@helixstack/builder-static';
import { processRuntime } from '@helixstack/runtime-process';
import { PluginRegistry } from '@helixstack/sdk';
import type { BlobStore, UploadLimits } from '@helixstack/source';
import { gitSource } from '@helixstack/source-git';
import { uploadSource } from '@helixstack/source-upload';

/**
 * The plug-ins of this installation, by id. Builders are tried in registration order:
 * a package.json wins over a bare index.html.
 */
export function installedPlugins(input: {
  dataDir: string;
  blobs(orgId: string): BlobStore;
  manifestPath(orgId: string, digest: string): string;
  limits: UploadLimits;
  allowLocalSources: boolean;
}): PluginRegistry {
  return (
    new PluginRegistry()
      .register(uploadSource({ blobs: input.blobs, manifestPath: input.manifestPath, limits: input.limits }))
      .register(gitSource({ allowLocal: input.allowLocalSources }))
      // pnpm and yarn come from the npm registry through npx: corepack checks signatures that
      // registry mirrors may strip.
      .register(nodeBuilder({ toolsDir: join(input.dataDir, 'tools'), packageManagerLauncher: 'npx' }))
      .register(staticBuilder())
      .register(processRuntime({ stateDir: join(input.dataDir, 'runtime-process') }))
  );
}
