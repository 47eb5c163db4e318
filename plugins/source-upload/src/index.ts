import { readFile } from 'node:fs/promises';
import { HelixError, type Source } from '@helixstack/sdk';
import {
  type BlobStore,
  isSha256Digest,
  manifestDigest,
  type UploadLimits,
  validateManifest,
} from '@helixstack/source';

export interface UploadSourceOptions {
  /** The blob store of an organization. */
  blobs(orgId: string): BlobStore;
  /** Where the API saved the manifest of an uploaded source. */
  manifestPath(orgId: string, digest: string): string;
  limits: UploadLimits;
}

/** A manifest that was never saved is the user's missing upload, not a server path to show. */
async function readManifest(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new HelixError(
      'HLX_SOURCE_INCOMPLETE',
      'The uploaded source is not stored on this server; deploy again.',
    );
  }
}

/** Rebuilds an uploaded tree from its manifest and blobs; the manifest is checked again on the way. */
export function uploadSource(options: UploadSourceOptions): Source {
  return {
    manifest: {
      id: 'source-upload',
      kind: 'source',
      contractVersion: '1',
      description: 'Sources uploaded by helix deploy, from the content-addressed blob store',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities: [],
    },
    handles: ['upload'],
    async fetch(ctx, { spec, dest }) {
      if (spec.type !== 'upload') {
        throw new HelixError('HLX_SOURCE_REQUIRED', 'source-upload fetches uploads only.');
      }
      // The digest names a file on disk: only a sha256 may ever reach the path.
      if (!isSha256Digest(spec.digest)) {
        throw new HelixError('HLX_SOURCE_INCOMPLETE', 'The source digest is not a sha256.');
      }
      const raw = JSON.parse(await readManifest(options.manifestPath(ctx.scope.org, spec.digest))) as unknown;
      const files = validateManifest(raw, options.limits);
      if (manifestDigest(files) !== spec.digest) {
        throw new HelixError(
          'HLX_SOURCE_INCOMPLETE',
          'The stored manifest does not match the deployment source.',
        );
      }
      ctx.progress(`Restoring ${files.length} uploaded files`);
      await options.blobs(ctx.scope.org).materialize(files, dest, options.limits);
      return { dir: dest, digest: spec.digest };
    },
  };
}
