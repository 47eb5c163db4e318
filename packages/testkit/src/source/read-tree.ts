import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file below `root` by posix path with its UTF-8 content; a symlink reads as
 * `symlink -> <target>`. Folders are walked, not listed: an empty folder leaves no trace.
 */
export async function readTree(root: string, prefix = ''): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const name of (await readdir(join(root, prefix))).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const absolute = join(root, path);
    const info = await lstat(absolute);
    if (info.isDirectory()) Object.assign(tree, await readTree(root, path));
    else if (info.isSymbolicLink()) tree[path] = `symlink -> ${await readlink(absolute)}`;
    else tree[path] = await readFile(absolute, 'utf8');
  }
  return tree;
}

/** The entries of `dir`, or null when it does not exist: "wrote nothing" is either. */
export async function entriesOrNull(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
