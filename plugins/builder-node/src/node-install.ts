import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { blockedFolder, makeWorldReadable } from '@helixstack/builder-static';
import { HelixError, type OperationContext } from '@helixstack/sdk';
import { toolEnvironment } from './environment.ts';
import { nodePackageName } from './node-versions.ts';
import { runStep } from './run-step.ts';

const installTimeoutMs = 10 * 60 * 1000;

/** Installs in progress, by target folder: concurrent builds share one download. */
const installing = new Map<string, Promise<string>>();

export function nodeInstallDir(toolsDir: string, version: string): string {
  return join(toolsDir, 'node', version);
}

function binaryIn(dir: string): string {
  return join(dir, 'node_modules', nodePackageName, 'bin', 'node');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function versionOf(binary: string): Promise<string> {
  return new Promise((done) => {
    execFile(binary, ['--version'], { timeout: 30_000 }, (error, stdout) => done(error ? '' : stdout.trim()));
  });
}

/**
 * The node binary of `version`: the server's own when it is the same version, else one
 * installed once from the npm registry into <toolsDir>/node/<version>/ and reused. The
 * install goes to a temporary folder renamed into place, so a reader never sees half of
 * it, and two servers sharing toolsDir at worst both download, never mix. A build that is
 * cancelled stops waiting; the download finishes for the next build.
 */
export async function ensureNode(ctx: OperationContext, toolsDir: string, version: string): Promise<string> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new HelixError('HLX_BUILD_PLAN_INVALID');
  // The server's own Node serves when apps can reach it; when the server is root and its
  // binary sits behind a private folder (a checkout under /root), a copy goes to toolsDir.
  const own = version === process.versions.node;
  if (own && (process.getuid?.() !== 0 || blockedFolder(process.execPath) === undefined)) {
    return process.execPath;
  }
  const dir = nodeInstallDir(toolsDir, version);
  if (await exists(binaryIn(dir))) return binaryIn(dir);
  if (own) return copyOwnNode(dir);
  let install = installing.get(dir);
  if (install) {
    ctx.output('system', `waiting for the install of Node.js ${version} started by another build`);
  } else {
    install = installNode(ctx, toolsDir, version).finally(() => installing.delete(dir));
    installing.set(dir, install);
  }
  return abortable(install, ctx.signal);
}

async function copyOwnNode(dir: string): Promise<string> {
  const binary = binaryIn(dir);
  const partial = `${binary}.${randomUUID()}`;
  await mkdir(dirname(binary), { recursive: true });
  await copyFile(process.execPath, partial, constants.COPYFILE_FICLONE);
  await rename(partial, binary);
  await makeWorldReadable(dir);
  return binary;
}

async function installNode(ctx: OperationContext, toolsDir: string, version: string): Promise<string> {
  const dir = nodeInstallDir(toolsDir, version);
  const temporary = join(toolsDir, 'node', `.installing-${version}-${randomUUID()}`);
  ctx.output('system', `installing Node.js ${version} (${nodePackageName}) from the npm registry`);
  // Not tied to one build's signal: the install is shared; the timeout bounds it.
  const detached: OperationContext = {
    logger: ctx.logger,
    scope: ctx.scope,
    signal: new AbortController().signal,
    progress: (message) => ctx.progress(message),
    output: (stream, text) => ctx.output(stream, text),
  };
  try {
    await mkdir(temporary, { recursive: true });
    await runStep(detached, {
      label: `install Node.js ${version}`,
      argv: [
        'npm',
        'install',
        '--prefix',
        temporary,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `${nodePackageName}@${version}`,
      ],
      cwd: temporary,
      env: toolEnvironment(),
      timeoutMs: installTimeoutMs,
    });
    const reported = await versionOf(binaryIn(temporary));
    if (reported !== `v${version}`) {
      throw new HelixError(
        'HLX_BUILD_TOOLS_UNAVAILABLE',
        `The installed Node.js ${version} does not run here (it reports "${reported}").`,
      );
    }
    await makeWorldReadable(temporary);
    try {
      await rename(temporary, dir);
    } catch (error) {
      // Another server sharing toolsDir finished first: use its copy.
      if (!(await exists(binaryIn(dir)))) throw error;
    }
    ctx.output('system', `installed Node.js ${version}`);
    return binaryIn(dir);
  } catch (error) {
    if (error instanceof HelixError && error.code === 'HLX_BUILD_FAILED') {
      throw new HelixError(
        'HLX_BUILD_TOOLS_UNAVAILABLE',
        `Node.js ${version} could not be installed from the npm registry: ${error.message}`,
      );
    }
    throw error;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise((done, fail) => {
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(done, fail).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
