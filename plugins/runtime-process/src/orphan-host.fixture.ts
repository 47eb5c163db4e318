// A stand-in server for orphans.test.ts: deploys the fixture app, prints its endpoint once
// healthy, then idles until the test SIGKILLs it. Usage: orphan-host.fixture.ts <stateDir> <appDir>
import { processAppArtifact, runtimeTestContext, silentLogger, waitForStatus } from '@helixstack/testkit';
import { processRuntime } from './process-runtime.ts';

const [stateDir, appDir] = process.argv.slice(2);
if (!stateDir || !appDir) throw new Error('usage: orphan-host.fixture.ts <stateDir> <appDir>');
const runtime = processRuntime({ stateDir });
const ctx = runtimeTestContext();
await runtime.init?.({ logger: silentLogger, signal: ctx.signal });
const handle = await runtime.deploy(ctx, {
  artifact: await processAppArtifact(appDir),
  spec: {
    deploymentId: 'dpl-orphan',
    env: { HELIX_TEST_GRANDCHILD: '1' },
    healthCheck: { path: '/health', deadlineMs: 20_000, intervalMs: 50 },
  },
});
const status = await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
process.stdout.write(`${JSON.stringify(status.endpoints[0])}\n`);
setInterval(() => {}, 60_000);
