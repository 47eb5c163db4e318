import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  connectionRefused,
  copyProcessApp,
  httpGet,
  type ProcessAppCopy,
  runtimeTestContext,
  silentLogger,
} from '@helixstack/testkit';
import { isAlive, processStartTime } from './proc.ts';
import { processRuntime } from './process-runtime.ts';
import { RecordStore } from './records.ts';
import type { AppInfo } from './testing.ts';

const hostScript = fileURLToPath(new URL('./orphan-host.fixture.ts', import.meta.url));
const init = { logger: silentLogger, signal: new AbortController().signal };
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

/** Starts a server process that deploys the app, and returns the app's endpoint once healthy. */
async function startHost(): Promise<{ kill(): Promise<void>; endpoint: { host: string; port: number } }> {
  const host = spawn(process.execPath, [hostScript, stateDir, app.dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: host.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(host, 'exit').then(() => assert.fail('the host exited before the app was healthy')),
  ])) as [string];
  return {
    endpoint: JSON.parse(line) as { host: string; port: number },
    async kill() {
      host.kill('SIGKILL');
      await once(host, 'exit');
    },
  };
}

test('init stops the app processes a SIGKILLed server left behind, and forgets them', async () => {
  const host = await startHost();
  const { host: address, port } = host.endpoint;
  const info = JSON.parse((await httpGet(`http://${address}:${port}/info`)).body) as AppInfo;
  await host.kill();
  assert.ok(isAlive(info.pid), 'the app outlived its server');
  assert.ok(info.grandchildPid && isAlive(info.grandchildPid), 'and so did what it started');
  assert.equal((await httpGet(`http://${address}:${port}/health`)).status, 200);

  const runtime = processRuntime({ stateDir, stopGraceMs: 2000 });
  await runtime.init?.(init);
  assert.equal(isAlive(info.pid), false, 'the orphan app is gone');
  assert.equal(isAlive(info.grandchildPid), false, 'its child is gone');
  assert.ok(await connectionRefused(address, port));
  assert.deepEqual(readdirSync(stateDir), [], 'no record is left');
  const status = await runtime.status(runtimeTestContext(), {
    runtime: 'runtime-process',
    deploymentId: 'dpl-orphan',
    data: {},
  });
  assert.equal(status.state, 'stopped');
  await runtime.close?.();
});

test('init leaves alone a recorded pid that now belongs to another process', async () => {
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(other, 'spawn');
  const pid = other.pid!;
  const startTime = processStartTime(pid)!;
  const records = new RecordStore(stateDir);
  records.write('dpl-reused', {
    deploymentId: 'dpl-reused',
    cgroups: [],
    process: { pid, startTime: `${startTime}1` },
  });
  const runtime = processRuntime({ stateDir });
  await runtime.init?.(init);
  assert.ok(isAlive(pid), 'a process with another start time is not ours');
  assert.deepEqual(readdirSync(stateDir), []);
  other.kill('SIGKILL');
  await once(other, 'exit');
  await runtime.close?.();
});
