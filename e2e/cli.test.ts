import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { adminToken, helixBin, type ServerProcess, startServerProcess, tempDir } from './harness.ts';

const run = promisify(execFile);

describe('the helix CLI against a running server', () => {
  const data = tempDir('helix-e2e-data-');
  const home = tempDir('helix-e2e-home-');
  const app = tempDir('helix-e2e-app-');
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;

  async function helix(args: string[], options: { token?: string } = {}) {
    try {
      const { stdout, stderr } = await run(process.execPath, [helixBin, ...args], {
        cwd: app.path,
        env: { ...env, ...(options.token ? { HELIX_TOKEN: options.token } : {}) },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  before(async () => {
    server = await startServerProcess({ dataDir: data.path });
    const apiUrl = server.apiUrl.replace(/\/v1$/, '');
    env = { ...process.env, HELIX_CONFIG_DIR: home.path, HELIX_API_URL: apiUrl };
    delete env.HELIX_TOKEN;
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    for (const dir of [data, home, app]) dir.remove();
  });

  test('login stores the token privately and whoami reads it back', async () => {
    const login = await helix(['login', '--token', adminToken(data.path)]);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(statSync(join(home.path, 'config.json')).mode & 0o777, 0o600);
    const whoami = await helix(['whoami', '--json']);
    assert.equal(JSON.parse(whoami.stdout).token.role, 'owner');
  });

  test('projects create, ls and rm', async () => {
    assert.equal((await helix(['projects', 'create', 'web'])).code, 0);
    const list = JSON.parse((await helix(['projects', 'ls', '--json'])).stdout);
    assert.deepEqual(
      list.map((project: { name: string }) => project.name),
      ['web'],
    );
    const bad = await helix(['projects', 'create', 'Not_A_Label']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /HLX_INVALID_NAME/);
    assert.equal(bad.stdout, '');
  });

  test('link writes .helix/project.json and env commands use it', async () => {
    assert.equal((await helix(['link', '--project', 'web'])).code, 0);
    const link = JSON.parse(readFileSync(join(app.path, '.helix/project.json'), 'utf8'));
    assert.equal(link.projectName, 'web');
    assert.equal(
      (await helix(['env', 'add', 'PUBLIC_URL', 'https://web.example', '--environment', 'preview'])).code,
      0,
    );
    assert.equal((await helix(['env', 'add', 'API_SECRET', 'top-secret-value', '--sensitive'])).code, 0);
    const preview = JSON.parse((await helix(['env', 'ls', '--environment', 'preview', '--json'])).stdout);
    assert.deepEqual(
      preview.map((variable: { key: string; value?: string }) => [variable.key, variable.value]),
      [['PUBLIC_URL', 'https://web.example']],
    );
    const production = await helix(['env', 'ls', '--environment', 'production']);
    assert.match(production.stdout, /API_SECRET/);
    assert.ok(!production.stdout.includes('top-secret-value'));
    assert.equal((await helix(['env', 'rm', 'API_SECRET'])).code, 0);
    const after = JSON.parse((await helix(['env', 'ls', '--environment', 'production', '--json'])).stdout);
    assert.deepEqual(after, []);
  });

  test('tokens create, a viewer token cannot write, revoke ends it', async () => {
    const created = JSON.parse(
      (await helix(['tokens', 'create', 'readonly', '--role', 'viewer', '--json'])).stdout,
    );
    assert.match(created.secret, /^hlx_/);
    const write = await helix(['projects', 'create', 'nope'], { token: created.secret });
    assert.notEqual(write.code, 0);
    assert.match(write.stderr, /HLX_FORBIDDEN/);
    assert.equal((await helix(['tokens', 'revoke', created.token.id])).code, 0);
    const revoked = await helix(['whoami'], { token: created.secret });
    assert.match(revoked.stderr, /HLX_TOKEN_REVOKED/);
    const listed = JSON.parse((await helix(['tokens', 'ls', '--json'])).stdout);
    assert.ok(
      listed.some(
        (token: { id: string; revokedAt: string | null }) => token.id === created.token.id && token.revokedAt,
      ),
    );
  });

  test('usage errors exit 2 and an unreachable API is named', async () => {
    const unknown = await helix(['projects', 'ls', '--no-such-flag']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /HLX_CLI_USAGE/);
    const unreachable = await helix(['whoami', '--api-url', 'http://127.0.0.1:9', '--token', 'hlx_any']);
    assert.notEqual(unreachable.code, 0);
    assert.match(unreachable.stderr, /HLX_CLI_UNREACHABLE/);
  });

  test('projects rm deletes', async () => {
    assert.equal((await helix(['projects', 'rm', 'web', '--yes'])).code, 0);
    assert.deepEqual(JSON.parse((await helix(['projects', 'ls', '--json'])).stdout), []);
  });
});
