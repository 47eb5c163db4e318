import { chmod, lstat } from 'node:fs/promises';
import { walkTree } from './tree-walk.ts';

/**
 * `chmod -R a+rX`: everyone may read every file and enter every folder, and run what its
 * owner may run. Apps run as an unprivileged user when the server runs as root.
 */
export async function makeWorldReadable(root: string): Promise<void> {
  await makeFolderEnterable(root);
  for (const entry of await walkTree(root)) {
    if (entry.kind !== 'symlink') await addReadBits(entry.absolute, entry.kind === 'dir');
  }
}

/** a+rx on one folder, not what is inside: the artifact's parent in outputDir. */
export async function makeFolderEnterable(dir: string): Promise<void> {
  await addReadBits(dir, true);
}

async function addReadBits(path: string, isDir: boolean): Promise<void> {
  const mode = (await lstat(path)).mode & 0o7777;
  const wanted = mode | 0o444 | (isDir || (mode & 0o111) !== 0 ? 0o111 : 0);
  if (wanted !== mode) await chmod(path, wanted);
}
