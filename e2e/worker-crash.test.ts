import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  adminToken,
  api,
  deployFolder,
  routerPortOf,
  startServerProcess,
  tempDir,
  viaRouter,
  waitFinal,
  writeApp,
} from './harness.ts';

test('a build whose server is killed mid-build is retried after its lease expires', async () => {
  const data = tempDir('helix-e2e-crash-');
  const apps = tempDir('helix-e2e-crash-apps-');
  const env = { HELIX_JOB_LEASE_MS: '2000' };
  let server = await startServerProcess({ dataDir: data.path, env, args: ['--router-port', '0'] });
  try {
    const token = adminToken(data.path);
    await api(server.apiUrl, token, 'POST', '/projects', { name: 'crashy' });
    writeApp(join(apps.path, 'slow'), {
      body: 'survived a crash',
      build: `node -e "console.log('build started'); setTimeout(() => console.log('build done'), 4000)"`,
    });
    const deployment = await deployFolder(server.apiUrl, token, 'crashy', join(apps.path, 'slow'), {
      environment: 'production',
    });
    for (let i = 0; i < 200; i++) {
      const logs = await fetch(`${server.apiUrl}/deployments/${deployment.id}/logs`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if ((await logs.text()).includes('build started')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    server.child.kill('SIGKILL');
    await server.exited;

    server = await startServerProcess({ dataDir: data.path, env, args: ['--router-port', '0'] });
    const final = await waitFinal(server.apiUrl, token, deployment.id);
    assert.equal(final.state, 'READY', final.errorMessage);
    const logs = await fetch(`${server.apiUrl}/deployments/${deployment.id}/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.match(await logs.text(), /Retrying the build \(attempt 2\)/);
    assert.deepEqual(await viaRouter(routerPortOf(server), 'crashy.localhost'), {
      status: 200,
      text: 'survived a crash',
    });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    data.remove();
    apps.remove();
  }
});
