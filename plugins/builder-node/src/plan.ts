import { readdir } from 'node:fs/promises';
import { type BuildPlan, HelixError } from '@helixstack/sdk';
import type { ListNodeVersions, ResolvedNode } from './node-versions.ts';
import { resolveNodeVersion } from './node-versions.ts';
import { readPackageJson } from './package-json.ts';
import {
  choosePackageManager,
  installArguments,
  lockfiles,
  type PackageManagerChoice,
} from './package-manager.ts';
import { describeStart, type StartPlan, startPlan } from './start-command.ts';

export const nodeBuilderId = 'builder-node';

/** What the node builder decided at detect time; stored with the deployment as plain JSON. */
export type NodePlanDetails = {
  node: ResolvedNode;
  packageManager: PackageManagerChoice;
  /**
   * Arguments after the manager's command, for people reading the plan (the build derives
   * them again from packageManager); null when package.json declares no dependencies.
   */
  install: string[] | null;
  /** Whether scripts.build runs. */
  build: boolean;
  /** Null: no server, the build's static folder (dist, build, out, public) is the artifact. */
  start: StartPlan | null;
  /** Choices a user may want to know about (no lockfile, ignored fields). */
  notes: string[];
};

/** A plan for a folder with package.json; null without one. */
export async function planNodeApp(
  sourceDir: string,
  listVersions: ListNodeVersions,
): Promise<BuildPlan | null> {
  const pkg = await readPackageJson(sourceDir);
  if (!pkg) return null;
  const rootFiles = new Set(await readdir(sourceDir));
  const { note, ...packageManager } = choosePackageManager(rootFiles, pkg.packageManager);
  const notes = note ? [note] : [];
  if (packageManager.from === 'default') {
    notes.push('no lockfile: npm is used and installs the newest matching versions; commit a lockfile');
  } else if (packageManager.lockfile === null) {
    notes.push(
      `no ${lockfiles[packageManager.name][0]}: ${packageManager.name} installs without a frozen lockfile`,
    );
  }
  const node = await resolveNodeVersion(pkg.enginesNode, listVersions);
  const details: NodePlanDetails = {
    node,
    packageManager,
    install: pkg.hasDependencies ? installArguments(packageManager) : null,
    build: pkg.scripts.build !== undefined,
    start: startPlan(pkg, rootFiles),
    notes,
  };
  const manager = `${packageManager.name} (${packageManager.lockfile ?? 'no lockfile'})`;
  const steps = [`node ${node.version} app`, manager, ...(details.build ? ['build script'] : [])];
  return {
    builder: nodeBuilderId,
    summary: [...steps, describeStart(details.start)].join(', '),
    details,
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function validStart(start: unknown): boolean {
  if (start === null) return true;
  const value = start as Partial<Record<string, unknown>>;
  return (
    (value.via === 'node' && isStringArray(value.args)) ||
    (value.via === 'script' && typeof value.script === 'string')
  );
}

/** The details of a plan this builder made; HLX_BUILD_PLAN_INVALID for anything else. */
export function readPlanDetails(plan: BuildPlan): NodePlanDetails {
  const details = plan.details as Partial<NodePlanDetails>;
  const manager = details.packageManager;
  const ok =
    plan.builder === nodeBuilderId &&
    typeof details.node?.version === 'string' &&
    /^\d+\.\d+\.\d+$/.test(details.node.version) &&
    manager !== undefined &&
    Object.hasOwn(lockfiles, manager.name) &&
    (manager.lockfile === null || lockfiles[manager.name].includes(manager.lockfile)) &&
    (manager.version === null || /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(manager.version)) &&
    (details.install === null || isStringArray(details.install)) &&
    typeof details.build === 'boolean' &&
    validStart(details.start) &&
    isStringArray(details.notes);
  if (!ok) throw new HelixError('HLX_BUILD_PLAN_INVALID');
  return details as NodePlanDetails;
}
