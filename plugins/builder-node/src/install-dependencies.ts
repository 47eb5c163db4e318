import type { BuildCache, OperationContext } from '@helixstack/sdk';
import { dependencyCacheKey, restoreDependencies, saveDependencies } from './dependency-cache.ts';
import { installArguments, type PackageManagerChoice } from './package-manager.ts';
import { runStep } from './run-step.ts';

export interface InstallInput {
  appDir: string;
  packageManager: PackageManagerChoice;
  /** The command that runs the manager (npm, corepack pnpm, npx --yes yarn@1). */
  managerCommand: readonly string[];
  /** sha256 of the lockfile, null without one (then nothing is cached). */
  lockfileSha256: string | null;
  nodeMajor: number;
  cache: BuildCache;
  env: Record<string, string>;
}

export type InstallOutcome = 'restored' | 'installed';

/**
 * Restores node_modules from the cache when the lockfile was installed before with the
 * same manager and Node major; otherwise installs and saves the result for next time.
 */
export async function installDependencies(
  ctx: OperationContext,
  input: InstallInput,
): Promise<InstallOutcome> {
  const key =
    input.lockfileSha256 === null
      ? null
      : dependencyCacheKey(input.packageManager.name, input.lockfileSha256, input.nodeMajor);
  if (key !== null) {
    ctx.progress('restoring dependencies');
    if (await restoreDependencies(input.cache, key, input.appDir)) {
      ctx.output('system', `dependencies restored from cache (${input.packageManager.lockfile} unchanged)`);
      return 'restored';
    }
  }
  ctx.progress('installing dependencies');
  await runStep(ctx, {
    label: 'install',
    argv: [...input.managerCommand, ...installArguments(input.packageManager)],
    cwd: input.appDir,
    env: input.env,
  });
  if (key !== null && (await saveDependencies(input.cache, key, input.appDir))) {
    ctx.output('system', 'dependencies saved to the cache for the next build');
  }
  return 'installed';
}
