import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeEntry {
  /** Relative to the walked root, with "/" separators. */
  path: string;
  absolute: string;
  kind: 'dir' | 'file' | 'symlink';
}

export interface WalkOptions {
  /** Folder names not entered, at any depth (their own entry is not listed either). */
  skipDirs?: ReadonlySet<string>;
  /** Names left out at the root only (say node_modules of a source about to be installed). */
  skipAtRoot?: ReadonlySet<string>;
}

/**
 * Lists a tree depth first, parents before children, names in code-unit order so that
 * two walks of equal trees give equal lists. Sockets, FIFOs and devices are left out.
 */
export async function walkTree(root: string, options: WalkOptions = {}): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  await walkInto(root, '', options, entries);
  return entries;
}

async function walkInto(root: string, prefix: string, options: WalkOptions, out: TreeEntry[]): Promise<void> {
  const dirents = await readdir(prefix === '' ? root : join(root, prefix), { withFileTypes: true });
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    if (prefix === '' && options.skipAtRoot?.has(dirent.name)) continue;
    const path = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
    const absolute = join(root, path);
    if (dirent.isDirectory()) {
      if (options.skipDirs?.has(dirent.name)) continue;
      out.push({ path, absolute, kind: 'dir' });
      await walkInto(root, path, options, out);
    } else if (dirent.isFile()) {
      out.push({ path, absolute, kind: 'file' });
    } else if (dirent.isSymbolicLink()) {
      out.push({ path, absolute, kind: 'symlink' });
    }
  }
}
