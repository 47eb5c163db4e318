import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildCache } from '@helixstack/sdk';

const safeKey = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * A BuildCache on a local folder: one subfolder per key, a hit when the subfolder already
 * has content. Also records the keys asked for, for assertions.
 */
export function directoryBuildCache(root: string): BuildCache & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    async dir(key) {
      if (!safeKey.test(key)) throw new Error(`Cache keys are file names; got "${key}"`);
      keys.push(key);
      const path = join(root, key);
      await mkdir(path, { recursive: true });
      return { path, hit: (await readdir(path)).length > 0 };
    },
  };
}
