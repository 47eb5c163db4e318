import { createHash } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Artifact } from '@helixstack/sdk';
import { appNode } from './app-node.ts';

/** The fixture app: answers /health, /info and the marker of HELIX_TEST_MARKER on other paths. */
export const processAppDir = fileURLToPath(new URL('../fixtures/process-app/', import.meta.url));

export interface ProcessAppCopy {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Copies the fixture app into a fresh directory that every user may read and enter: a
 * runtime started as root runs apps as an unprivileged user, like a real build output.
 */
export async function copyProcessApp(): Promise<ProcessAppCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'helix-process-app-'));
  await cp(processAppDir, dir, { recursive: true });
  await chmod(dir, 0o755);
  for (const file of ['server.js', 'package.json']) await chmod(join(dir, file), 0o644);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A process-bundle artifact of the fixture app in `dir`, started with a Node the app user can run. */
export async function processAppArtifact(dir: string, env: Record<string, string> = {}): Promise<Artifact> {
  const source = await readFile(join(dir, 'server.js'));
  return {
    kind: 'process-bundle',
    ref: dir,
    digest: createHash('sha256').update(source).digest('hex'),
    start: { command: [await appNode(), 'server.js'], env },
    metadata: { fixture: 'process-app' },
  };
}
