import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type Artifact,
  type DeploySpec,
  type LogLine,
  type Runtime,
  type RuntimeHandle,
  validatePlugin,
} from '@helixstack/sdk';
import { connectionRefused, httpGet } from './http-probe.ts';
import { nextWithin, waitForStatus } from './polling.ts';
import { runtimeTestContext, silentLogger } from './test-context.ts';

export interface RuntimeConformanceOptions {
  /** How long an instance may take to become healthy (default 20 s). */
  healthDeadlineMs?: number;
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const all: LogLine[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

async function readUntil(
  iterator: AsyncIterator<LogLine>,
  wanted: (line: LogLine) => boolean,
  what: string,
): Promise<LogLine> {
  for (;;) {
    const next = await nextWithin(iterator, 10_000, what);
    assert.equal(next.done, false, `the log stream ended before ${what}`);
    if (wanted(next.value)) return next.value;
  }
}

/** Reads what is left (a runtime may hand over lines it already queued) until the stream ends. */
async function expectEnd(iterator: AsyncIterator<LogLine>, what: string): Promise<void> {
  for (let leftover = 0; leftover < 1000; leftover += 1) {
    if ((await nextWithin(iterator, 10_000, what)).done) return;
  }
  assert.fail(`the log stream kept going after ${what}`);
}

/**
 * The Runtime conformance suite, in steps like a provider acceptance test: deploy, wait
 * until healthy, probe the endpoint, read logs, redeploy idempotently, (stop and start when
 * declared), destroy, check it is gone, destroy again. Steps share one deployment, so a
 * failing step makes the following ones fail too. `makeArtifact` must return an artifact of
 * the fixture app (packages/testkit/src/fixtures/process-app) or one that answers like it.
 */
export function runtimeConformance(
  name: string,
  makeRuntime: () => Runtime | Promise<Runtime>,
  makeArtifact: () => Artifact | Promise<Artifact>,
  options: RuntimeConformanceOptions = {},
): void {
  const healthDeadlineMs = options.healthDeadlineMs ?? 20_000;
  describe(`runtime conformance: ${name}`, () => {
    const ctx = runtimeTestContext();
    const marker = `marker-${randomUUID()}`;
    const spec: DeploySpec = {
      deploymentId: `dpl-conformance-${randomUUID().slice(0, 8)}`,
      env: { HELIX_TEST_MARKER: marker, HELIX_DEPLOYMENT_ID: 'conformance' },
      healthCheck: { path: '/health', deadlineMs: healthDeadlineMs, intervalMs: 100 },
    };
    const healthy = { deadlineMs: healthDeadlineMs };
    let runtime: Runtime;
    let artifact: Artifact;
    let handle: RuntimeHandle;
    let endpoint: { host: string; port: number };
    let url: string;

    before(async () => {
      runtime = await makeRuntime();
      await runtime.init?.({ logger: silentLogger, signal: new AbortController().signal });
      artifact = await makeArtifact();
    });

    after(async () => {
      if (handle) await runtime.destroy(ctx, handle);
      await runtime.close?.();
    });

    test('the plug-in matches the runtime contract and accepts the artifact', () => {
      validatePlugin(runtime);
      assert.equal(runtime.manifest.kind, 'runtime');
      assert.ok(runtime.accepts.includes(artifact.kind), `accepts ${artifact.kind}`);
    });

    test('deploy returns a handle naming the runtime and the deployment', async () => {
      handle = await runtime.deploy(ctx, { artifact, spec });
      assert.equal(handle.runtime, runtime.manifest.id);
      assert.equal(handle.deploymentId, spec.deploymentId);
      assert.deepEqual(JSON.parse(JSON.stringify(handle)), handle, 'the handle is plain JSON');
    });

    test('the instance becomes healthy before the deadline, with one endpoint', async () => {
      const status = await waitForStatus(runtime, ctx, handle, (s) => s.healthy, healthy);
      assert.equal(status.state, 'running');
      assert.equal(status.endpoints.length, 1);
      endpoint = status.endpoints[0]!;
      url = `http://${endpoint.host}:${endpoint.port}/`;
    });

    test('the endpoint answers with the marker', async () => {
      const response = await httpGet(url);
      assert.equal(response.status, 200);
      assert.ok(response.body.includes(marker), response.body);
    });

    test('the logs hold the line the app printed at start', async () => {
      const lines = await collect(runtime.logs(ctx, handle, {}));
      const start = lines.find((line) => line.text.includes(marker));
      assert.ok(start, JSON.stringify(lines));
      assert.equal(start.stream, 'stdout');
      assert.ok(!Number.isNaN(Date.parse(start.time)));
      const future = new Date(Date.now() + 60_000).toISOString();
      assert.deepEqual(await collect(runtime.logs(ctx, handle, { since: future })), []);
      const fromStart = await collect(runtime.logs(ctx, handle, { since: start.time }));
      assert.ok(fromStart.some((line) => line.text.includes(marker)));
    });

    test('follow yields earlier lines, then new ones, and ends when aborted', async () => {
      const controller = new AbortController();
      const lines = runtime.logs(runtimeTestContext(controller.signal), handle, { follow: true });
      const iterator = lines[Symbol.asyncIterator]();
      await readUntil(iterator, (line) => line.text.includes(marker), 'the start line');
      const path = `/follow-${randomUUID()}`;
      assert.equal((await httpGet(new URL(path, url).href)).status, 200);
      await readUntil(iterator, (line) => line.text.includes(path), 'the line of a new request');
      controller.abort();
      await expectEnd(iterator, 'the abort');
    });

    test('deploying the same id again returns the same handle and starts no second instance', async () => {
      const again = await runtime.deploy(ctx, { artifact, spec });
      assert.deepEqual(again, handle);
      const status = await runtime.status(ctx, handle);
      assert.equal(status.healthy, true);
      assert.deepEqual(status.endpoints, [endpoint]);
      const lines = await collect(runtime.logs(ctx, handle, {}));
      const starts = lines.filter((line) => line.stream === 'stdout' && line.text.includes(marker));
      assert.equal(starts.length, 1, 'one start line: one instance');
    });

    test('stop and start, when declared, take the instance down and bring it back', async () => {
      const declared = runtime.manifest.capabilities;
      if (!declared.includes('stop')) {
        assert.equal(runtime.stop, undefined);
        return;
      }
      await runtime.stop!(ctx, handle);
      const stopped = await runtime.status(ctx, handle);
      assert.equal(stopped.state, 'stopped');
      assert.equal(stopped.healthy, false);
      assert.ok(await connectionRefused(endpoint.host, endpoint.port), 'nothing listens once stopped');
      if (!declared.includes('start')) return;
      await runtime.start!(ctx, handle);
      const back = await waitForStatus(runtime, ctx, handle, (s) => s.healthy, healthy);
      url = `http://${back.endpoints[0]!.host}:${back.endpoints[0]!.port}/`;
      endpoint = back.endpoints[0]!;
      assert.ok((await httpGet(url)).body.includes(marker));
    });

    test('destroy ends log followers, stops the instance and the endpoint refuses', async () => {
      const iterator = runtime.logs(ctx, handle, { follow: true })[Symbol.asyncIterator]();
      await readUntil(iterator, (line) => line.text.includes(marker), 'the start line');
      await runtime.destroy(ctx, handle);
      await expectEnd(iterator, 'the destroy');
      const status = await runtime.status(ctx, handle);
      assert.equal(status.state, 'stopped');
      assert.equal(status.healthy, false);
      assert.deepEqual(status.endpoints, []);
      assert.ok(await connectionRefused(endpoint.host, endpoint.port), 'nothing listens any more');
    });

    test('destroying again is fine', async () => {
      await runtime.destroy(ctx, handle);
      assert.equal((await runtime.status(ctx, handle)).state, 'stopped');
    });

    test('a handle the runtime never deployed reads as stopped, with no logs', async () => {
      const unknown: RuntimeHandle = {
        runtime: runtime.manifest.id,
        deploymentId: `dpl-unknown-${randomUUID().slice(0, 8)}`,
        data: {},
      };
      const status = await runtime.status(ctx, unknown);
      assert.equal(status.state, 'stopped');
      assert.equal(status.healthy, false);
      assert.deepEqual(await collect(runtime.logs(ctx, unknown, { follow: true })), []);
      await runtime.destroy(ctx, unknown);
    });
  });
}
