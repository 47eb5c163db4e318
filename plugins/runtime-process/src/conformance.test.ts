import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import {
  copyProcessApp,
  type ProcessAppCopy,
  processAppArtifact,
  runtimeConformance,
} from '@helixstack/testkit';
import { processRuntime } from './index.ts';

let app: ProcessAppCopy;
let stateDir: string;

before(async () => {
  app = await copyProcessApp();
  stateDir = await mkdtemp(join(tmpdir(), 'helix-runtime-state-'));
});

after(async () => {
  await app.remove();
  await rm(stateDir, { recursive: true, force: true });
});

runtimeConformance(
  'runtime-process',
  () => processRuntime({ stateDir, stopGraceMs: 5000 }),
  () => processAppArtifact(app.dir),
);
