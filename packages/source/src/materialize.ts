import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HelixError } from '@helixstack/sdk';
import type { BlobStore } from './blob-store.ts';
import { prepareDestination } from './destination.ts';
import type { UploadLimits } from './limits.ts';
import { blobDigests, isSymlinkEntry, type SourceFile, validateManifest } from './manifest.ts';

/** EXCL: never replace (or follow) an existing name; FICLONE: share extents where supported, else copy. */
const copyFlags = constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE;

/** See BlobStore.materialize. Returns the validated manifest. */
export async function materializeTree(
  store: BlobStore,
  manifest: unknown,
  destDir: string,
  limits: UploadLimits,
): Promise<SourceFile[]> {
  const files = validateManifest(manifest, limits);
  const lacking = await store.missing(blobDigests(files));
  if (lacking.length > 0) {
    throw new HelixError(
      'HLX_BLOB_MISSING',
      `${lacking.length} blob(s) of the manifest are not uploaded yet; upload the missing ones first.`,
      { missing: lacking.slice(0, 20), count: lacking.length },
    );
  }
  await prepareDestination(destDir);
  try {
    // Files first, links last: nothing is ever written below a link (validateManifest refuses it too).
    for (const file of files) {
      if (isSymlinkEntry(file)) continue;
      const target = join(destDir, file.path);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(store.pathOf(file.sha256), target, copyFlags);
      await chmod(target, file.mode);
    }
    for (const file of files) {
      if (!isSymlinkEntry(file)) continue;
      await mkdir(dirname(join(destDir, file.path)), { recursive: true });
      await symlink(file.symlinkTarget, join(destDir, file.path));
    }
    return files;
  } catch (error) {
    await rm(destDir, { recursive: true, force: true });
    throw error;
  }
}
