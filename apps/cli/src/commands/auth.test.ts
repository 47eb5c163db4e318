import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;

before(async () => {
  api = await startFakeApi();
});
after(() => api.close());

describe('helix login / whoami / logout', () => {
  test('login checks the token, stores {apiUrl, token} with mode 0600, and later commands use it', async () => {
    const configDir = await temporaryDir();
    const login = await runHelix(['login', '--token', api.ownerToken, '--api-url', `${api.url}/`], configDir);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(api.requests.at(-1)?.path, '/v1/whoami');
    const path = join(configDir, 'config.json');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { apiUrl: api.url, token: api.ownerToken });

    const whoami = await runHelix(['whoami', '--json'], configDir);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(JSON.parse(whoami.stdout).user.email, 'owner@example.com');
    assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${api.ownerToken}`);

    const logout = await runHelix(['logout'], configDir);
    assert.equal(logout.code, 0);
    await assert.rejects(stat(path), { code: 'ENOENT' });
    const after = await runHelix(['whoami'], configDir);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /^Error HLX_CLI_NOT_LOGGED_IN: /);
  });

  test('login replaces a looser file and keeps 0600; the token may come from stdin', async () => {
    const configDir = await temporaryDir();
    await writeFile(join(configDir, 'config.json'), '{}', { mode: 0o644 });
    const login = await runHelix(['login', '--token', '-', '--api-url', api.url], configDir, {
      input: `${api.ownerToken}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    const path = join(configDir, 'config.json');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(await readFile(path, 'utf8')).token, api.ownerToken);
  });

  test('a rejected token is reported with the server code and nothing is stored', async () => {
    const configDir = await temporaryDir();
    const login = await runHelix(['login', '--token', 'hlx_wrong', '--api-url', api.url], configDir);
    assert.equal(login.code, 1);
    assert.match(login.stderr, /^Error HLX_UNAUTHENTICATED: /);
    await assert.rejects(stat(join(configDir, 'config.json')), { code: 'ENOENT' });
  });

  test('a stored token is never sent to another API URL', async () => {
    const configDir = await temporaryDir();
    assert.equal(
      (await runHelix(['login', '--token', api.ownerToken, '--api-url', api.url], configDir)).code,
      0,
    );
    const other = await startFakeApi();
    try {
      const result = await runHelix(['whoami'], configDir, { env: { HELIX_API_URL: other.url } });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error HLX_CLI_NOT_LOGGED_IN: The stored login is for /);
      assert.equal(other.requests.length, 0);
      const withToken = await runHelix(['whoami', '--json'], configDir, {
        env: { HELIX_API_URL: other.url, HELIX_TOKEN: other.ownerToken },
      });
      assert.equal(withToken.code, 0, withToken.stderr);
    } finally {
      await other.close();
    }
  });

  test('a config file that is not JSON is reported, not ignored', async () => {
    const configDir = await temporaryDir();
    await writeFile(join(configDir, 'config.json'), 'not json');
    const result = await runHelix(['whoami'], configDir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error HLX_CLI_CONFIG_INVALID: /);
  });
});
