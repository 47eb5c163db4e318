import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createTestPostgresDatabase } from '@helixstack/db/testing';
import { adminToken, api, runServerExpectingFailure, startServerProcess, tempDir } from './harness.ts';

describe('helix server on the embedded database', () => {
  test('first start writes an owner admin token with mode 0600; SIGKILL and restart keep every commit', async () => {
    const dir = tempDir('helix-e2e-');
    try {
      const first = await startServerProcess({ dataDir: dir.path });
      const token = adminToken(dir.path);
      assert.equal(statSync(join(dir.path, 'admin-token')).mode & 0o777, 0o600);
      assert.equal((await api(first.apiUrl, token, 'GET', '/whoami')).json.token.role, 'owner');
      for (const name of ['alpha', 'beta', 'gamma']) {
        assert.equal((await api(first.apiUrl, token, 'POST', '/projects', { name })).status, 201);
      }
      await api(first.apiUrl, token, 'POST', '/projects/alpha/env', {
        key: 'SECRET',
        value: 's3cr3t',
        environment: 'production',
        sensitive: true,
      });
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await startServerProcess({ dataDir: dir.path });
      assert.equal(adminToken(dir.path), token, 'the admin token is not replaced on restart');
      const projects = await api(second.apiUrl, token, 'GET', '/projects');
      assert.deepEqual(
        projects.json.items.map((project: { name: string }) => project.name),
        ['alpha', 'beta', 'gamma'],
      );
      const env = await api(second.apiUrl, token, 'GET', '/projects/alpha/env');
      assert.equal(env.json.items[0].key, 'SECRET');
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    } finally {
      dir.remove();
    }
  });

  test('a second server on the same data directory refuses to start and the first keeps its data', async () => {
    const dir = tempDir('helix-e2e-');
    try {
      const first = await startServerProcess({ dataDir: dir.path });
      const token = adminToken(dir.path);
      await api(first.apiUrl, token, 'POST', '/projects', { name: 'kept' });
      const second = await runServerExpectingFailure({ dataDir: dir.path });
      assert.notEqual(second.code, 0);
      assert.match(second.output, /HLX_DATA_DIR_LOCKED/);
      assert.match(second.output, /Another HelixStack server/);
      const projects = await api(first.apiUrl, token, 'GET', '/projects');
      assert.deepEqual(
        projects.json.items.map((project: { name: string }) => project.name),
        ['kept'],
      );
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
    } finally {
      dir.remove();
    }
  });

  test('SIGTERM lets an in-flight request finish before the server exits', async () => {
    const dir = tempDir('helix-e2e-');
    try {
      const server = await startServerProcess({ dataDir: dir.path });
      const token = adminToken(dir.path);
      const url = new URL(`${server.apiUrl}/projects`);
      const body = JSON.stringify({ name: 'in-flight' });
      // Send the headers and half the body, signal the server, then finish the body.
      const response = new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(5)), 300);
        }, 300);
      });
      assert.equal(await response, 201);
      assert.equal(await server.exited, 0);
      const again = await startServerProcess({ dataDir: dir.path });
      const projects = await api(again.apiUrl, token, 'GET', '/projects');
      assert.equal(projects.json.items[0].name, 'in-flight');
      again.child.kill('SIGTERM');
      await again.exited;
    } finally {
      dir.remove();
    }
  });

  test('HELIX_ADMIN_TOKEN is accepted and no token file is written', async () => {
    const dir = tempDir('helix-e2e-');
    try {
      const token = 'hlx_e2e-admin-token-0123456789';
      const server = await startServerProcess({ dataDir: dir.path, env: { HELIX_ADMIN_TOKEN: token } });
      assert.equal((await api(server.apiUrl, token, 'GET', '/whoami')).status, 200);
      assert.throws(() => statSync(join(dir.path, 'admin-token')));
      server.child.kill('SIGTERM');
      await server.exited;
    } finally {
      dir.remove();
    }
  });

  test('bad configuration fails with HLX_CONFIG', async () => {
    const dir = tempDir('helix-e2e-');
    try {
      const result = await runServerExpectingFailure({ dataDir: dir.path, env: { HELIX_ROLE: 'chef' } });
      assert.notEqual(result.code, 0);
      assert.match(result.output, /HLX_CONFIG/);
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as AddressInfo).port;
      try {
        const busy = await runServerExpectingFailure({
          dataDir: dir.path,
          env: { HELIX_ROUTER_PORT: String(port) },
        });
        assert.notEqual(busy.code, 0);
        assert.match(busy.output, new RegExp(`HLX_CONFIG: Port ${port} is already in use`));
      } finally {
        taken.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describe('helix server on Postgres', () => {
  test('two servers starting together on one empty database both serve the same data', async () => {
    const database = await createTestPostgresDatabase();
    const dirs = [tempDir('helix-e2e-'), tempDir('helix-e2e-')];
    try {
      const env = {
        DATABASE_URL: database.url,
        HELIX_ADMIN_TOKEN: 'hlx_shared-admin-token-for-e2e',
        HELIX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      };
      const [a, b] = await Promise.all(
        dirs.map((dir) => startServerProcess({ dataDir: dir.path, env, args: ['--role', 'api'] })),
      );
      const token = env.HELIX_ADMIN_TOKEN;
      assert.equal((await api(a!.apiUrl, token, 'POST', '/projects', { name: 'shared' })).status, 201);
      await api(a!.apiUrl, token, 'POST', '/projects/shared/env', {
        key: 'K',
        value: 'v',
        environment: 'production',
      });
      const fromB = await api(b!.apiUrl, token, 'GET', '/projects/shared/env');
      assert.equal(fromB.json.items[0].value, 'v', 'both servers read values sealed by the other');
      assert.equal(
        (await api(b!.apiUrl, token, 'GET', '/orgs')).json.items.length,
        1,
        'one organization, not two',
      );
      for (const server of [a!, b!]) server.child.kill('SIGTERM');
      await Promise.all([a!.exited, b!.exited]);
    } finally {
      for (const dir of dirs) dir.remove();
      await database.drop();
    }
  });
});
