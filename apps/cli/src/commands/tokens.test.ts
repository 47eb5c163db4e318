import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi();
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

describe('helix tokens', () => {
  test('create --json returns the token and its secret; the secret works until revoked', async () => {
    const created = await runHelix(['tokens', 'create', 'ci', '--role', 'viewer', '--json'], configDir, {
      env,
    });
    assert.equal(created.code, 0, created.stderr);
    const { token, secret } = JSON.parse(created.stdout) as {
      token: { id: string; role: string };
      secret: string;
    };
    assert.equal(token.role, 'viewer');
    assert.deepEqual(api.requests.at(-1)?.body, { name: 'ci', role: 'viewer' });

    const asCi = { HELIX_API_URL: api.url, HELIX_TOKEN: secret };
    assert.equal((await runHelix(['whoami'], configDir, { env: asCi })).code, 0);
    const revoked = await runHelix(['tokens', 'revoke', token.id], configDir, { env });
    assert.equal(revoked.code, 0, revoked.stderr);
    const refused = await runHelix(['whoami'], configDir, { env: asCi });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error HLX_TOKEN_REVOKED: /);

    const listed = await runHelix(['tokens', 'ls'], configDir, { env });
    assert.match(listed.stdout, /^ID\s+NAME\s+ROLE\s+PREFIX\s+CREATED\s+LAST USED\s+STATUS$/m);
    assert.match(listed.stdout, new RegExp(`${token.id}\\s+ci\\s+viewer.*revoked`));
    assert.ok(!listed.stdout.includes(secret), 'ls never prints a secret');
  });

  test('an unknown role is a usage error before any request', async () => {
    const count = api.requests.length;
    const result = await runHelix(['tokens', 'create', 'x', '--role', 'root'], configDir, { env });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^Error HLX_CLI_USAGE: --role must be one of owner, admin, developer, viewer/,
    );
    assert.equal(api.requests.length, count);
  });
});
