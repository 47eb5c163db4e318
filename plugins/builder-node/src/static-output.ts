import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders a front-end build writes to, in the order they are looked for. */
export const staticOutputDirs = ['dist', 'build', 'out', 'public'] as const;

/** The first output folder of `appDir` with an index.html at its root, or null. */
export async function findStaticOutput(appDir: string): Promise<string | null> {
  for (const dir of staticOutputDirs) {
    const found = await access(join(appDir, dir, 'index.html')).then(
      () => true,
      () => false,
    );
    if (found) return dir;
  }
  return null;
}
