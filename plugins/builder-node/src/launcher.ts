import type { PackageManagerName } from './package-manager.ts';

/** Used through npx when corepack is missing and "packageManager" names no version. */
const fallbackVersions: Readonly<Record<Exclude<PackageManagerName, 'npm'>, string>> = {
  pnpm: '10',
  yarn: '1',
};

/**
 * The command prefix that runs a package manager: npm itself; pnpm and yarn through
 * corepack when the server has it, else through `npx --yes` (both fetch them from the
 * npm registry).
 */
export function managerCommand(
  name: PackageManagerName,
  version: string | null,
  corepackPath: string | null,
): string[] {
  if (name === 'npm') return ['npm'];
  if (corepackPath) return [corepackPath, version ? `${name}@${version}` : name];
  return ['npx', '--yes', `${name}@${version ?? fallbackVersions[name]}`];
}
