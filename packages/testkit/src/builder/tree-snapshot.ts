import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface SnapshotEntry {
  path: string;
  kind: 'dir' | 'file' | 'symlink';
  mode: number;
  /** File content sha256, or a symlink's target. */
  content: string;
}

/** Every entry of a tree with its mode and content, to prove that nothing changed it. */
export async function snapshotTree(root: string, prefix = ''): Promise<SnapshotEntry[]> {
  const out: SnapshotEntry[] = [];
  const names = (await readdir(join(root, prefix))).sort();
  for (const name of names) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const absolute = join(root, path);
    const info = await lstat(absolute);
    const mode = info.mode & 0o7777;
    if (info.isDirectory()) {
      out.push({ path, kind: 'dir', mode, content: '' });
      out.push(...(await snapshotTree(root, path)));
    } else if (info.isSymbolicLink()) {
      out.push({ path, kind: 'symlink', mode, content: await readlink(absolute) });
    } else {
      const content = createHash('sha256')
        .update(await readFile(absolute))
        .digest('hex');
      out.push({ path, kind: 'file', mode, content });
    }
  }
  return out;
}

export function snapshotDigest(entries: readonly SnapshotEntry[]): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
