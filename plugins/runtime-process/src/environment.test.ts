import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { waitForStatus } from '@helixstack/testkit';
import { appInfo, type Harness, harness } from './testing.ts';

let h: Harness;

before(async () => {
  h = await harness();
});

after(() => h.dispose());

test('the app gets the deployment env, the artifact env, PORT and HOST, and none of the server env', async () => {
  const { runtime, ctx } = h;
  process.env.HELIX_TEST_SERVER_ONLY = 'server secret';
  const artifact = await h.artifact({ FROM_ARTIFACT: 'artifact', SHARED: 'artifact wins' });
  const spec = h.spec('dpl-env', { APP_GREETING: 'hello', SHARED: 'spec', PORT: '1', HOST: '0.0.0.0' });
  const handle = await runtime.deploy(ctx, { artifact, spec });
  delete process.env.HELIX_TEST_SERVER_ONLY;
  const status = await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
  assert.deepEqual(status.endpoints, [{ host: '127.0.0.1', port: handle.data.port }]);
  const info = await appInfo(runtime, ctx, handle);
  assert.equal(info.env.PORT, String(handle.data.port));
  assert.equal(info.env.HOST, '127.0.0.1');
  assert.equal(info.env.HELIX_DEPLOYMENT_ID, 'dpl-env');
  assert.equal(info.env.APP_GREETING, 'hello');
  assert.equal(info.env.FROM_ARTIFACT, 'artifact');
  assert.equal(info.env.SHARED, 'artifact wins');
  assert.equal(info.env.HELIX_TEST_SERVER_ONLY, undefined);
  assert.equal(realpathSync(info.cwd), realpathSync(h.app.dir));
  await runtime.destroy(ctx, handle);
});

test('apps never run as root: a root server runs them as nobody', async () => {
  const { runtime, ctx } = h;
  const handle = await runtime.deploy(ctx, { artifact: await h.artifact(), spec: h.spec('dpl-user') });
  await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
  const info = await appInfo(runtime, ctx, handle);
  if (process.getuid?.() === 0) {
    assert.notEqual(info.uid, 0);
    assert.notEqual(info.gid, 0);
    assert.equal(info.uid, 65534, 'the uid of nobody');
    const status = readFileSync(`/proc/${info.pid}/status`, 'utf8');
    assert.match(status, /^Groups:\s*$/m, 'no supplementary groups of the server');
  } else {
    assert.equal(info.uid, process.getuid?.(), 'an unprivileged server runs apps as itself');
  }
  await runtime.destroy(ctx, handle);
});
