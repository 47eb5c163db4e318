import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  copyTree,
  makeFolderEnterable,
  makeWorldReadable,
  packageStaticSite,
  sha256File,
  treeDigest,
} from '@helixstack/builder-static';
import { type Artifact, type BuildInput, HelixError, type OperationContext } from '@helixstack/sdk';
import { stepEnvironment, toolEnvironment } from './environment.ts';
import { findExecutable } from './find-executable.ts';
import { installDependencies } from './install-dependencies.ts';
import { managerCommand } from './launcher.ts';
import { ensureNode } from './node-install.ts';
import { type NodePlanDetails, readPlanDetails } from './plan.ts';
import { runStep } from './run-step.ts';
import { startCommand } from './start-command.ts';
import { findStaticOutput } from './static-output.ts';

export interface NodeBuildSettings {
  /** Node versions and corepack's package managers are kept here between builds. */
  toolsDir: string;
  /** corepack falls back to npx when the server has no corepack. */
  launcher: 'corepack' | 'npx';
}

/** Reinstalled from the lockfile, or not part of an app. */
const notCopied: ReadonlySet<string> = new Set(['node_modules', '.git', '.helix']);
const skipInDigest: ReadonlySet<string> = new Set(['node_modules']);

/**
 * Copies the source to <outputDir>/app and builds it there: the plan's Node, install (or
 * the cached node_modules), the build script. An app with a start command becomes a
 * process bundle in place; one without becomes a static artifact of its output folder.
 */
export async function buildNodeApp(
  ctx: OperationContext,
  input: BuildInput,
  settings: NodeBuildSettings,
): Promise<Artifact> {
  const details = readPlanDetails(input.plan);
  const appDir = join(input.outputDir, 'app');
  try {
    return await buildIn(ctx, input, settings, details, appDir);
  } catch (error) {
    await rm(appDir, { recursive: true, force: true });
    await rm(join(input.outputDir, 'static'), { recursive: true, force: true });
    throw error;
  }
}

async function buildIn(
  ctx: OperationContext,
  input: BuildInput,
  settings: NodeBuildSettings,
  details: NodePlanDetails,
  appDir: string,
): Promise<Artifact> {
  ctx.progress('copying the source');
  const files = await copyTree(input.source.dir, appDir, { skipAtRoot: notCopied });
  ctx.output('system', `copied ${files} files of the source`);
  for (const note of details.notes) ctx.output('system', `note: ${note}`);

  const { node, packageManager } = details;
  ctx.progress(`preparing Node.js ${node.version}`);
  const nodeBinary = await ensureNode(ctx, settings.toolsDir, node.version);
  const why =
    node.from === 'engines'
      ? `engines.node "${node.range}"`
      : 'the server version; set engines.node to choose';
  ctx.output('system', `Node.js ${node.version} (${why})`);

  const env = (extra: Record<string, string> = {}): Record<string, string> =>
    stepEnvironment({
      userEnv: input.env,
      pathFirst: [dirname(nodeBinary), join(appDir, 'node_modules', '.bin')],
      corepackHome: join(settings.toolsDir, 'corepack'),
      extra,
    });
  const corepack =
    packageManager.name === 'npm' || settings.launcher === 'npx'
      ? null
      : await findExecutable('corepack', toolEnvironment().PATH ?? '');
  const manager = managerCommand(packageManager.name, packageManager.version, corepack);
  const lockfileSha256 = packageManager.lockfile
    ? await sha256File(join(appDir, packageManager.lockfile))
    : null;

  if (details.install === null) {
    ctx.output('system', 'no dependencies in package.json: nothing to install');
  } else {
    await installDependencies(ctx, {
      appDir,
      packageManager,
      managerCommand: manager,
      lockfileSha256,
      nodeMajor: Number(node.version.split('.')[0]),
      cache: input.cache,
      env: env(),
    });
  }
  if (details.build) {
    ctx.progress('running the build script');
    const nodeEnv = input.env.NODE_ENV ?? 'production';
    await runStep(ctx, {
      label: 'build',
      argv: [...manager, 'run', 'build'],
      cwd: appDir,
      env: env({ NODE_ENV: nodeEnv }),
    });
  }

  const metadata = { node: node.version, packageManager: packageManager.name };
  if (details.start === null) return staticArtifact(ctx, appDir, input.outputDir, metadata);

  ctx.progress('packaging the app');
  await makeWorldReadable(appDir);
  await makeFolderEnterable(input.outputDir);
  const digest = await treeDigest(appDir, {
    skipDirs: skipInDigest,
    extra: { lockfile: lockfileSha256 ?? 'none', node: node.version },
  });
  const command = startCommand(details.start, nodeBinary);
  ctx.output('system', `process bundle sha256:${digest}, started with: ${command.join(' ')}`);
  return {
    kind: 'process-bundle',
    ref: appDir,
    digest,
    start: {
      command,
      env: {
        NODE_ENV: 'production',
        PATH: [dirname(nodeBinary), 'node_modules/.bin', '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      },
    },
    metadata,
  };
}

async function staticArtifact(
  ctx: OperationContext,
  appDir: string,
  outputDir: string,
  metadata: Record<string, string>,
): Promise<Artifact> {
  const folder = await findStaticOutput(appDir);
  if (folder === null) throw new HelixError('HLX_BUILD_NO_OUTPUT');
  ctx.output('system', `no start command: serving ${folder}/ as a static site`);
  const artifact = await packageStaticSite(ctx, join(appDir, folder), outputDir, {
    ...metadata,
    staticDir: folder,
  });
  await rm(appDir, { recursive: true, force: true });
  return artifact;
}
