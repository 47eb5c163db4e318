import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestPostgresDatabase } from '@helixstack/db/testing';
import pg from 'pg';
import {
  api,
  deployFolder,
  routerPortOf,
  startServerProcess,
  tempDir,
  viaRouter,
  waitFinal,
  writeApp,
} from './harness.ts';

test('api, worker and router roles in separate processes share one Postgres and deploy an app', async () => {
  const database = await createTestPostgresDatabase();
  const data = tempDir('helix-e2e-split-');
  const apps = tempDir('helix-e2e-split-apps-');
  const env = {
    DATABASE_URL: database.url,
    HELIX_ADMIN_TOKEN: 'hlx_split-roles-admin-token',
    HELIX_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  const token = env.HELIX_ADMIN_TOKEN;
  const processes = [];
  try {
    const apiServer = await startServerProcess({ dataDir: data.path, env, args: ['--role', 'api'] });
    processes.push(apiServer);
    const worker = await startServerProcess({
      dataDir: data.path,
      env,
      args: ['--role', 'worker', '--port', '0'],
    });
    processes.push(worker);
    const router = await startServerProcess({
      dataDir: data.path,
      env,
      args: ['--role', 'router', '--router-port', '0'],
    });
    processes.push(router);
    assert.equal(worker.apiUrl, '', 'a worker serves no API');
    await api(apiServer.apiUrl, token, 'POST', '/projects', { name: 'split' });
    writeApp(join(apps.path, 'app'), { body: 'served by a worker' });
    const deployment = await deployFolder(apiServer.apiUrl, token, 'split', join(apps.path, 'app'), {
      environment: 'production',
    });
    assert.equal((await waitFinal(apiServer.apiUrl, token, deployment.id)).state, 'READY');
    const routerPort = routerPortOf(router);
    let answer = await viaRouter(routerPort, 'split.localhost');
    for (let i = 0; i < 30 && answer.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await viaRouter(routerPort, 'split.localhost');
    }
    assert.deepEqual(answer, { status: 200, text: 'served by a worker' });
    // The router records every request for analytics, in batches off the request path.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      let rows: { deployment_id: string; status: number }[] = [];
      for (let i = 0; i < 30 && rows.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ({ rows } = await client.query(
          "SELECT deployment_id, status FROM access_records WHERE host = 'split.localhost' AND status = 200",
        ));
      }
      assert.ok(rows.length >= 1, 'the request was recorded');
      assert.equal(rows[0]!.deployment_id, deployment.id);
    } finally {
      await client.end();
    }
  } finally {
    for (const server of processes.reverse()) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    data.remove();
    apps.remove();
    await database.drop();
  }
});
