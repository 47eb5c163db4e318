/** How dependencies are installed: which tool, which version, and why it was chosen. */
export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

export interface PackageManagerChoice {
  name: PackageManagerName;
  /** From "packageManager" ("pnpm@9.1.0"); null lets the launcher choose. */
  version: string | null;
  /** What decided it: the "packageManager" field, a lockfile, or nothing (npm). */
  from: 'packageManager' | 'lockfile' | 'default';
  /** The lockfile this manager installs from, when the source has one. */
  lockfile: string | null;
}

/** Lockfiles by manager, in the order they are looked for. */
export const lockfiles: Readonly<Record<PackageManagerName, readonly string[]>> = {
  npm: ['npm-shrinkwrap.json', 'package-lock.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
};

const managerOrder: readonly PackageManagerName[] = ['npm', 'pnpm', 'yarn'];
const managerField = /^(npm|pnpm|yarn)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[\w.:-]+)?$/;

function lockfileOf(name: PackageManagerName, files: ReadonlySet<string>): string | null {
  return lockfiles[name].find((file) => files.has(file)) ?? null;
}

/**
 * "packageManager" wins when it names npm, pnpm or yarn with a version; then the lockfile
 * (npm, pnpm, yarn in that order when several are present); then npm.
 */
export function choosePackageManager(
  rootFiles: ReadonlySet<string>,
  packageManagerField: string | null,
): PackageManagerChoice & { note: string | null } {
  const declared = packageManagerField ? managerField.exec(packageManagerField) : null;
  if (declared) {
    const name = declared[1] as PackageManagerName;
    return {
      name,
      version: declared[2] ?? null,
      from: 'packageManager',
      lockfile: lockfileOf(name, rootFiles),
      note: null,
    };
  }
  const note = packageManagerField
    ? `"packageManager": "${packageManagerField}" is not npm, pnpm or yarn with a version; it is ignored`
    : null;
  for (const name of managerOrder) {
    const lockfile = lockfileOf(name, rootFiles);
    if (lockfile) return { name, version: null, from: 'lockfile', lockfile, note };
  }
  return { name: 'npm', version: null, from: 'default', lockfile: null, note };
}

/** The install arguments after the manager's command; frozen to the lockfile when there is one. */
export function installArguments(choice: PackageManagerChoice): string[] {
  const frozen = choice.lockfile !== null;
  switch (choice.name) {
    case 'npm':
      // devDependencies are needed to build, whatever NODE_ENV the project sets.
      return frozen ? ['ci', '--include=dev'] : ['install', '--include=dev'];
    case 'pnpm':
      return frozen ? ['install', '--frozen-lockfile'] : ['install'];
    case 'yarn': {
      if (!frozen) return ['install'];
      const berry = choice.version !== null && Number(choice.version.split('.')[0]) >= 2;
      return berry ? ['install', '--immutable'] : ['install', '--frozen-lockfile'];
    }
  }
}
