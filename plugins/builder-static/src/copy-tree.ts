import { copyFile, link, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type TreeEntry, walkTree } from './tree-walk.ts';

export interface CopyTreeOptions {
  /** Names left out at the root of the source (node_modules, .git). */
  skipAtRoot?: ReadonlySet<string>;
  /**
   * Hard-link files instead of copying them (falls back to a copy across file systems).
   * Fast for node_modules; the two trees then share file contents, so neither may be
   * modified in place afterwards.
   */
  hardLink?: boolean;
}

const parallelFiles = 16;

/** Copies `from` into `to` (created if missing): folders, files with their modes, symlinks verbatim. */
export async function copyTree(from: string, to: string, options: CopyTreeOptions = {}): Promise<number> {
  const entries = await walkTree(from, { skipAtRoot: options.skipAtRoot });
  await mkdir(to, { recursive: true });
  // Folders first, parents before children (walk order), then the leaves in parallel.
  for (const entry of entries) if (entry.kind === 'dir') await mkdir(join(to, entry.path));
  const leaves = entries.filter((entry) => entry.kind !== 'dir');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < leaves.length) {
      const entry = leaves[next++] as TreeEntry;
      await copyLeaf(entry, join(to, entry.path), options.hardLink === true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelFiles, leaves.length) }, worker));
  return leaves.length;
}

async function copyLeaf(entry: TreeEntry, target: string, hardLink: boolean): Promise<void> {
  if (entry.kind === 'symlink') {
    await symlink(await readlink(entry.absolute), target);
    return;
  }
  if (hardLink) {
    try {
      await link(entry.absolute, target);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  await copyFile(entry.absolute, target);
}
