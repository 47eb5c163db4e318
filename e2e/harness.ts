import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const helixBin = join(repoRoot, 'apps/cli/bin/helix.js');

export interface ServerProcess {
  child: ChildProcess;
  apiUrl: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts `helix server` as a user would, on a free port, and waits until it says where the API is. */
export function startServerProcess(options: {
  dataDir: string;
  env?: Record<string, string>;
  args?: string[];
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [helixBin, 'server', '--port', '0', '--data-dir', options.dataDir, ...(options.args ?? [])],
    {
      cwd: repoRoot,
      env: { ...process.env, HELIX_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API:\s+(http:\/\/\S+\/v1)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, apiUrl: match[1], output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it started:\n${output}`));
    });
  });
}

/** Runs `helix server` expecting it to fail at start; returns its exit code and output. */
export function runServerExpectingFailure(options: { dataDir: string; env?: Record<string, string> }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [helixBin, 'server', '--port', '0', '--data-dir', options.dataDir],
      {
        cwd: repoRoot,
        env: { ...process.env, HELIX_LOG_LEVEL: 'warn', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export function adminToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}

export async function api(apiUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}
