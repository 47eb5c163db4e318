import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';

/** The parts of package.json the node builder reads, checked for type. */
export interface PackageJson {
  scripts: Record<string, string>;
  main: string | null;
  enginesNode: string | null;
  packageManager: string | null;
  /** Any dependencies declared, of any kind. */
  hasDependencies: boolean;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function parsePackageJson(content: string): PackageJson {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (error) {
    throw new HelixError(
      'HLX_BUILD_PACKAGE_JSON_INVALID',
      `package.json is not valid JSON (${(error as Error).message}); fix it and deploy again.`,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HelixError('HLX_BUILD_PACKAGE_JSON_INVALID');
  }
  const pkg = raw as Record<string, unknown>;
  const scripts: Record<string, string> = {};
  for (const [name, command] of Object.entries(record(pkg.scripts))) {
    if (typeof command === 'string' && command.trim() !== '') scripts[name] = command;
  }
  const dependencyFields = ['dependencies', 'devDependencies', 'optionalDependencies'];
  return {
    scripts,
    main: text(pkg.main),
    enginesNode: text(record(pkg.engines).node),
    packageManager: text(pkg.packageManager),
    hasDependencies: dependencyFields.some((field) => Object.keys(record(pkg[field])).length > 0),
  };
}

/** package.json of `dir`, or null when there is none. */
export async function readPackageJson(dir: string): Promise<PackageJson | null> {
  let content: string;
  try {
    content = await readFile(join(dir, 'package.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parsePackageJson(content);
}
