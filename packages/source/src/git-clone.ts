import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HelixError } from '@helixstack/sdk';
import { type GitSource, parseGitSource, redactUrl } from './git-source.ts';
import { runGit } from './run-git.ts';

export interface CloneOptions {
  url: string;
  ref: string;
  /** A new or empty folder; it holds the working tree, without .git, when the clone succeeds. */
  dest: string;
  signal?: AbortSignal;
  /** Commits of history fetched; 1 by default (only the tree is needed to build). */
  depth?: number;
  /** Ends a clone that hangs on a slow or silent remote; 5 minutes by default. */
  timeoutMs?: number;
  /** Admin setting: allow file:// URLs and local paths (see parseGitSource). */
  allowLocal?: boolean;
  /** Extra environment for git (proxy settings, credential helpers). */
  env?: Record<string, string>;
}

const defaultTimeoutMs = 5 * 60 * 1000;
const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The arguments of the clone, each value its own element. `--` ends the options, so the
 * URL and the folder are never read as flags; the file protocol is off unless the
 * server allows local sources, and the ext:: helper (which runs commands) always is.
 */
export function cloneArgs(source: GitSource, dest: string, depth: number, allowLocal: boolean): string[] {
  return [
    '-c',
    'protocol.ext.allow=never',
    ...(allowLocal ? [] : ['-c', 'protocol.file.allow=never']),
    '-c',
    'advice.detachedHead=false',
    'clone',
    '--quiet',
    '--depth',
    String(depth),
    '--branch',
    source.ref,
    '--no-tags',
    '--',
    source.cloneUrl,
    dest,
  ];
}

/** The last lines of git's stderr, without credentials or the server's own folders. */
function cloneFailed(source: GitSource, why: string, stderr: string, dest: string): HelixError {
  const tail = redactUrl(stderr.trim().replaceAll(dest, '<dest>')).split('\n').slice(-5).join('\n');
  return new HelixError(
    'HLX_GIT_CLONE_FAILED',
    `Could not clone ${redactUrl(source.url)} at ${JSON.stringify(source.ref)}: ${why}${tail ? `\n${tail}` : ''}`,
    { url: redactUrl(source.url), ref: source.ref, stderr: tail },
  );
}

async function assertUsableDest(dest: string): Promise<void> {
  try {
    if ((await readdir(dest)).length > 0) throw new Error(`The clone folder must be new or empty: ${dest}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Shallow-clones one branch or tag of a repository into `dest` and returns the sha of the
 * commit checked out.
 * git runs from an argument array with no prompt, a timeout and a small environment;
 * its .git folder is removed afterwards, as the build only needs the tree.
 */
export async function cloneGit(options: CloneOptions): Promise<string> {
  const allowLocal = options.allowLocal ?? false;
  const source = parseGitSource({ url: options.url, ref: options.ref }, { allowLocal });
  const depth = options.depth ?? 1;
  if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError('depth must be a positive integer');
  const dest = resolve(options.dest);
  await assertUsableDest(dest);
  await mkdir(dirname(dest), { recursive: true });
  const run = { timeoutMs: options.timeoutMs ?? defaultTimeoutMs, signal: options.signal, env: options.env };
  try {
    const clone = await runGit(cloneArgs(source, dest, depth, allowLocal), run);
    if (clone.timedOut)
      throw cloneFailed(source, `timed out after ${run.timeoutMs / 1000}s`, clone.stderrTail, dest);
    if (clone.code !== 0) throw cloneFailed(source, `git exited with ${clone.code}`, clone.stderrTail, dest);
    const head = await runGit(['-C', dest, 'rev-parse', 'HEAD'], run);
    const commit = head.stdout.trim();
    if (head.code !== 0 || !commitPattern.test(commit)) {
      throw cloneFailed(source, 'the cloned HEAD could not be read', head.stderrTail, dest);
    }
    await rm(join(dest, '.git'), { recursive: true, force: true });
    return commit;
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  }
}
