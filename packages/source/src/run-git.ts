import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';

export interface GitRun {
  code: number | null;
  stdout: string;
  /** The last few KiB of stderr: enough for git's error, bounded for a chatty remote. */
  stderrTail: string;
  timedOut: boolean;
}

export interface RunGitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Added to the small environment git gets (proxy settings, credentials helpers...). */
  env?: Record<string, string>;
  gitBinary?: string;
}

const tailBytes = 4096;
const maxStdout = 64 * 1024;

/**
 * The environment of a git child: not the server's (which holds database URLs and other
 * secrets), only what git needs, and never a prompt that would hang the job.
 */
function gitEnvironment(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
  };
  if (process.env.SSH_AUTH_SOCK) env.SSH_AUTH_SOCK = process.env.SSH_AUTH_SOCK;
  return { ...env, ...extra };
}

/**
 * Runs git with an argument array (no shell), in its own process group so that a timeout
 * or an abort also ends the helpers it started (git-remote-https, ssh).
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitRun> {
  options.signal?.throwIfAborted();
  return new Promise((done, fail) => {
    const child = spawn(options.gitBinary ?? 'git', args, {
      env: gitEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', killGroup, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-tailBytes);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', killGroup);
      if (options.signal?.aborted) fail(options.signal.reason);
      else done({ code, stdout, stderrTail: stderr, timedOut });
    });
  });
}
