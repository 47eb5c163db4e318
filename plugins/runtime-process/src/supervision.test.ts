import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine } from '@helixstack/sdk';
import { appNode, waitForStatus } from '@helixstack/testkit';
import { isAlive } from './proc.ts';
import { appInfo, type Harness, harness, logText } from './testing.ts';

let h: Harness;

before(async () => {
  h = await harness({ stopGraceMs: 300, restart: { initialDelayMs: 50, maxDelayMs: 200 } });
});

after(() => h.dispose());

test('an app that exits at once restarts with doubling delays and reads as a crash loop', async () => {
  const { runtime, ctx } = h;
  const spec = h.spec('dpl-crash', { HELIX_TEST_EXIT_CODE: '3' });
  const handle = await runtime.deploy(ctx, { artifact: await h.artifact(), spec });
  const looping = await waitForStatus(
    runtime,
    ctx,
    handle,
    (s) => s.state === 'crash-loop' && s.restarts >= 3 && s.nextRestartAt !== undefined,
  );
  assert.equal(looping.healthy, false);
  assert.deepEqual(looping.endpoints, []);
  assert.match(looping.message ?? '', /crashed \d+ times in a row soon after starting/);
  assert.match(looping.message ?? '', /exited with code 3 after/);
  assert.ok(!Number.isNaN(Date.parse(looping.nextRestartAt ?? '')), 'the next restart time is given');
  const lines = await logText(runtime, ctx, handle);
  assert.ok(lines.includes('stderr: exiting at once with code 3'), 'the app output is kept');
  const delays = lines
    .filter((line) => line.startsWith('system: exited with code 3'))
    .map((line) => /in (\d+ ms)$/.exec(line)?.[1]);
  assert.deepEqual(delays.slice(0, 4), ['50 ms', '100 ms', '200 ms', '200 ms']);
  await runtime.destroy(ctx, handle);
  assert.equal((await runtime.status(ctx, handle)).state, 'stopped');
});

test('an app whose health check fails stays unhealthy and the message says what it answered', async () => {
  const { runtime, ctx } = h;
  const spec = h.spec('dpl-sick', { HELIX_TEST_HEALTH_STATUS: '503' });
  const handle = await runtime.deploy(ctx, { artifact: await h.artifact(), spec });
  const port = handle.data.port;
  const expected = `the app answered GET /health with 503 on port ${port}; waiting for a 2xx or 3xx answer`;
  await waitForStatus(runtime, ctx, handle, (s) => s.message === expected);
  await sleep(300); // several more probes
  const status = await runtime.status(ctx, handle);
  assert.equal(status.healthy, false);
  assert.equal(status.state, 'starting');
  assert.equal(status.message, expected);
  await runtime.destroy(ctx, handle);
});

test('an app that never listens is reported as not answering yet', async () => {
  const { runtime, ctx } = h;
  const artifact = {
    ...(await h.artifact()),
    start: { command: [await appNode(), '-e', 'setInterval(() => {}, 1000)'] },
  };
  const handle = await runtime.deploy(ctx, { artifact, spec: h.spec('dpl-silent') });
  await sleep(300);
  const status = await runtime.status(ctx, handle);
  assert.equal(status.healthy, false);
  assert.deepEqual(status.endpoints, []);
  assert.equal(status.message, `waiting for the app to answer GET /health on port ${handle.data.port}`);
  await runtime.destroy(ctx, handle);
});

test('destroy escalates to SIGKILL after the grace period and takes the whole process group', async () => {
  const { runtime, ctx } = h;
  const env = { HELIX_TEST_IGNORE_SIGTERM: '1', HELIX_TEST_GRANDCHILD: '1' };
  const handle = await runtime.deploy(ctx, {
    artifact: await h.artifact(),
    spec: h.spec('dpl-stubborn', env),
  });
  await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
  const info = await appInfo(runtime, ctx, handle);
  assert.ok(info.grandchildPid && isAlive(info.grandchildPid));
  const seen: LogLine[] = [];
  const reading = (async () => {
    for await (const line of runtime.logs(ctx, handle, { follow: true })) seen.push(line);
  })();
  await runtime.destroy(ctx, handle);
  await reading;
  const texts = seen.map((line) => line.text);
  assert.ok(texts.includes('ignoring SIGTERM'), texts.join('\n'));
  assert.ok(texts.includes('did not stop within 300 ms; sending SIGKILL'), texts.join('\n'));
  assert.equal(isAlive(info.pid), false);
  assert.equal(isAlive(info.grandchildPid), false);
});

test('a command that cannot start fails without restarts, and deploy refuses broken artifacts', async () => {
  const { runtime, ctx } = h;
  const artifact = { ...(await h.artifact()), start: { command: ['/nonexistent/helix-app'] } };
  const handle = await runtime.deploy(ctx, { artifact, spec: h.spec('dpl-missing') });
  const failed = await waitForStatus(runtime, ctx, handle, (s) => s.state === 'failed');
  assert.match(failed.message ?? '', /could not start \/nonexistent\/helix-app/);
  assert.equal(failed.restarts, 0);
  await runtime.destroy(ctx, handle);
  const refuses = (error: Error & { code?: string }) => error.code === 'HLX_RUNTIME_ARTIFACT_INVALID';
  const good = await h.artifact();
  const spec = h.spec('dpl-refused');
  await assert.rejects(runtime.deploy(ctx, { artifact: { ...good, kind: 'static' }, spec }), refuses);
  await assert.rejects(
    runtime.deploy(ctx, { artifact: { ...good, ref: '/nonexistent/app' }, spec }),
    refuses,
  );
  const noCommand = { ...good, start: { command: [] } };
  await assert.rejects(runtime.deploy(ctx, { artifact: noCommand, spec }), refuses);
  assert.equal(
    (await runtime.status(ctx, { runtime: 'runtime-process', deploymentId: 'dpl-refused', data: {} })).state,
    'stopped',
  );
});
