// Test helper: runs the helix command as a subprocess on the same Node, isolated from the user's files.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));

export interface HelixRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelixRunOptions {
  /** Added to a clean environment that holds only PATH, HOME and HELIX_CONFIG_DIR. */
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed (it is always closed, never a terminal). */
  input?: string;
}

const made: string[] = [];
// Tests make many; the process removes them all when it ends.
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (for HELIX_CONFIG_DIR or a project checkout), removed at exit. */
export async function temporaryDir(prefix = 'helix-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function runHelix(
  args: string[],
  configDir: string,
  options: HelixRunOptions = {},
): Promise<HelixRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: configDir, HELIX_CONFIG_DIR: configDir, ...options.env };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [helixBin, ...args],
      { env, cwd: options.cwd ?? configDir, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** A helix process left running, e.g. "logs -f" or "dev", with its output collected. */
export interface RunningHelix {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches; rejects after timeoutMs or when helix exits first. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code (128 + signal number when killed by it). */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export function startHelix(args: string[], configDir: string, options: HelixRunOptions = {}): RunningHelix {
  const env = { PATH: process.env.PATH ?? '', HOME: configDir, HELIX_CONFIG_DIR: configDir, ...options.env };
  const child = spawn(process.execPath, [helixBin, ...args], { env, cwd: options.cwd ?? configDir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.input ?? '');
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? osConstants.signals[signal] : 0)));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (child.exitCode !== null) throw new Error(`helix exited ${child.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} on stdout in time: ${stdout}\n${stderr}`);
        await sleep(20);
      }
    },
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
