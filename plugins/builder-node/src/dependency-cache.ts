import { randomUUID } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { copyTree } from '@helixstack/builder-static';
import type { BuildCache } from '@helixstack/sdk';
import type { PackageManagerName } from './package-manager.ts';

/**
 * node_modules is reusable when the manager, the lockfile and the Node major (native
 * modules are built per ABI) are the same.
 */
export function dependencyCacheKey(
  manager: PackageManagerName,
  lockfileSha256: string,
  nodeMajor: number,
): string {
  return `node-modules-${manager}-${lockfileSha256}-node${nodeMajor}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Hard-links a cached node_modules into the app; false when the cache has none. The
 * links share file contents with the cache: builds add files to node_modules (caches of
 * bundlers) but do not rewrite installed ones.
 */
export async function restoreDependencies(cache: BuildCache, key: string, appDir: string): Promise<boolean> {
  const { path, hit } = await cache.dir(key);
  const cached = join(path, 'node_modules');
  if (!hit || !(await exists(cached))) return false;
  await copyTree(cached, join(appDir, 'node_modules'), { hardLink: true });
  return true;
}

/**
 * Saves the app's freshly installed node_modules under `key`: linked into a temporary
 * folder, then renamed into place, so a concurrent build sees all of it or nothing.
 */
export async function saveDependencies(cache: BuildCache, key: string, appDir: string): Promise<boolean> {
  const installed = join(appDir, 'node_modules');
  if (!(await exists(installed))) return false;
  const { path } = await cache.dir(key);
  const target = join(path, 'node_modules');
  if (await exists(target)) return false;
  const temporary = join(path, `.saving-${randomUUID()}`);
  try {
    await copyTree(installed, temporary, { hardLink: true });
    await rename(temporary, target);
    return true;
  } catch (error) {
    // A concurrent build saved the same key first; its copy is as good as ours.
    if (await exists(target)) return false;
    throw error;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}
