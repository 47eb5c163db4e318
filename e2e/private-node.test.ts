import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
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

test('apps still start when the server runs from a folder the app user cannot enter', async () => {
  const hidden = tempDir('helix-e2e-private-');
  const data = tempDir('helix-e2e-private-data-');
  const apps = tempDir('helix-e2e-private-apps-');
  // A checkout under /root (0700) puts the server's own Node where `nobody` cannot reach it.
  const node = join(hidden.path, 'bin', 'node');
  mkdirSync(join(hidden.path, 'bin'));
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o755);
  chmodSync(hidden.path, 0o700);
  const server = await startServerProcess({ dataDir: data.path, node, args: ['--router-port', '0'] });
  try {
    const token = adminToken(data.path);
    await api(server.apiUrl, token, 'POST', '/projects', { name: 'private' });
    writeApp(join(apps.path, 'app'), { body: 'reached my node' });
    const deployment = await deployFolder(server.apiUrl, token, 'private', join(apps.path, 'app'), {
      environment: 'production',
    });
    const final = await waitFinal(server.apiUrl, token, deployment.id);
    assert.equal(final.state, 'READY', final.errorMessage);
    assert.deepEqual(await viaRouter(routerPortOf(server), 'private.localhost'), {
      status: 200,
      text: 'reached my node',
    });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    for (const dir of [hidden, data, apps]) dir.remove();
  }
});
