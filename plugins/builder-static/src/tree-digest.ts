import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readlink, stat } from 'node:fs/promises';
import { walkTree } from './tree-walk.ts';

export interface TreeDigestOptions {
  /** Folder names whose content is left out, at any depth (node_modules: slow, and keyed by the lockfile). */
  skipDirs?: ReadonlySet<string>;
  /** Facts that are part of the artifact without being files (lockfile hash, Node version). */
  extra?: Readonly<Record<string, string>>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * sha256 over the sorted list of (relative path, size, sha256 of content) of every file,
 * (path, target) of every symlink, and the extra facts. Timestamps and modes are left
 * out, so the same content built twice gives the same digest.
 */
export async function treeDigest(root: string, options: TreeDigestOptions = {}): Promise<string> {
  const lines: string[] = [];
  for (const entry of await walkTree(root, { skipDirs: options.skipDirs })) {
    if (entry.kind === 'file') {
      const { size } = await stat(entry.absolute);
      lines.push(`file\0${entry.path}\0${size}\0${await sha256File(entry.absolute)}`);
    } else if (entry.kind === 'symlink') {
      lines.push(`link\0${entry.path}\0${await readlink(entry.absolute)}`);
    }
  }
  for (const key of Object.keys(options.extra ?? {}).sort()) {
    lines.push(`extra\0${key}\0${options.extra?.[key]}`);
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
