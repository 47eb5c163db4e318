import { mkdir, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Creates the folder a source tree is built in. It must be new or empty: on failure the
 * builder removes it whole, which must never take anything else with it.
 */
export async function prepareDestination(destDir: string): Promise<void> {
  await mkdir(dirname(destDir), { recursive: true });
  try {
    await mkdir(destDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || (await readdir(destDir)).length > 0) {
      throw new Error(`A source tree needs a new or empty folder: ${destDir}`);
    }
  }
}
