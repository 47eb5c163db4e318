import { chmod, copyFile, mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedFolder } from '@helixstack/builder-static';

let reachable: Promise<string> | undefined;

/**
 * A Node binary that apps started by a root runtime (as `nobody`) can run: this one, unless
 * it sits behind a private folder (a checkout under /root), then a copy in the temp folder.
 */
export function appNode(): Promise<string> {
  reachable ??= (async () => {
    if (process.getuid?.() !== 0 || blockedFolder(process.execPath) === undefined) return process.execPath;
    const dir = join(tmpdir(), `helix-test-node-${process.versions.node}`);
    const binary = join(dir, 'node');
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
    const partial = `${binary}.${process.pid}`;
    await copyFile(process.execPath, partial);
    await chmod(partial, 0o755);
    await rename(partial, binary);
    return binary;
  })();
  return reachable;
}
