import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeConformance } from './conformance.ts';
import { fakeRuntime } from './fake-runtime.ts';
import { processAppArtifact, processAppDir } from './process-app.ts';
import { runtimeTestContext } from './test-context.ts';

runtimeConformance(
  'fake',
  () => fakeRuntime(),
  () => processAppArtifact(processAppDir),
);

test('the fake reports a crash loop and an unhealthy app the way the spec env asks', async () => {
  const runtime = fakeRuntime();
  const ctx = runtimeTestContext();
  const artifact = await processAppArtifact(processAppDir);
  const healthCheck = { path: '/health', deadlineMs: 1000, intervalMs: 100 };
  const crashing = await runtime.deploy(ctx, {
    artifact,
    spec: { deploymentId: 'dpl-crash', env: { HELIX_TEST_EXIT_CODE: '3' }, healthCheck },
  });
  const crash = await runtime.status(ctx, crashing);
  assert.equal(crash.state, 'crash-loop');
  assert.match(crash.message ?? '', /exited with code 3/);
  const sick = await runtime.deploy(ctx, {
    artifact,
    spec: { deploymentId: 'dpl-sick', env: { HELIX_TEST_HEALTH_STATUS: '503' }, healthCheck },
  });
  const unhealthy = await runtime.status(ctx, sick);
  assert.equal(unhealthy.healthy, false);
  assert.match(unhealthy.message ?? '', /answered GET \/health with 503/);
  assert.deepEqual(runtime.running(), ['dpl-sick']);
  await runtime.close?.();
  assert.deepEqual(runtime.running(), []);
});
