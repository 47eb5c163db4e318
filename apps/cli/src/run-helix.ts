// Test helper: runs the helix command as a subprocess on the same Node, isolated from the user's files.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A fresh temporary directory, e.g. for HELIX_CONFIG_DIR or a project checkout. */
export function temporaryDir(prefix = 'helix-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
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
