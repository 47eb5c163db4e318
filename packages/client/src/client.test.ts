import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { HelixClient } from './client.ts';
import { collect } from './paginate.ts';
import { closedPort, type FakeApi, startFakeApi } from './testing/index.ts';

let api: FakeApi;
let client: HelixClient;

before(async () => {
  api = await startFakeApi({ maxPageSize: 2 });
  client = new HelixClient({ apiUrl: `${api.url}/`, token: api.ownerToken });
});
after(() => api.close());

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<HelixError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof HelixError, `a HelixError, got ${String(error)}`);
  assert.equal(error.code, code);
  return error;
}

describe('HelixClient', () => {
  test('sends the bearer token, and none to /v1/health', async () => {
    const whoami = await client.whoami();
    assert.equal(whoami.token.role, 'owner');
    assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${api.ownerToken}`);
    const health = await client.health();
    assert.equal(health.status, 'ok');
    assert.equal(api.requests.at(-1)?.headers.authorization, undefined);
  });

  test('refuses to call an authenticated endpoint without a token, before any request', async () => {
    const count = api.requests.length;
    await rejectsWith(new HelixClient({ apiUrl: api.url }).whoami(), 'HLX_CLI_NOT_LOGGED_IN');
    assert.equal(api.requests.length, count);
  });

  test('a token with a line break is refused without echoing it', async () => {
    const count = api.requests.length;
    const error = await rejectsWith(
      new HelixClient({ apiUrl: api.url, token: 'hlx_secret\nvalue' }).whoami(),
      'HLX_UNAUTHENTICATED',
    );
    assert.ok(!error.message.includes('hlx_secret'));
    assert.equal(api.requests.length, count);
  });

  test('maps the server error body to a HelixError with its code, message and details', async () => {
    await rejectsWith(
      new HelixClient({ apiUrl: api.url, token: 'hlx_wrong' }).whoami(),
      'HLX_UNAUTHENTICATED',
    );
    api.answerOnce('POST', '/v1/projects', {
      status: 400,
      body: { error: { code: 'HLX_VALIDATION', message: 'name is required', details: { field: 'name' } } },
    });
    const error = await rejectsWith(client.createProject(''), 'HLX_VALIDATION');
    assert.equal(error.message, 'name is required');
    assert.deepEqual(error.details, { field: 'name' });
  });

  test('an unknown server code becomes HLX_INTERNAL and keeps the server message', async () => {
    api.answerOnce('GET', '/v1/projects', {
      status: 418,
      body: { error: { code: 'HLX_FROM_THE_FUTURE', message: 'A newer server says no.' } },
    });
    const error = await rejectsWith(client.listProjects(), 'HLX_INTERNAL');
    assert.equal(error.message, 'A newer server says no.');
    assert.equal(error.details?.serverCode, 'HLX_FROM_THE_FUTURE');
  });

  test('a non-JSON error body becomes HLX_INTERNAL naming the status', async () => {
    api.answerOnce('GET', '/v1/whoami', { status: 502, body: '<html>Bad Gateway</html>' });
    const error = await rejectsWith(client.whoami(), 'HLX_INTERNAL');
    assert.match(error.message, /502/);
  });

  test('a refused connection is HLX_CLI_UNREACHABLE', async () => {
    const port = await closedPort();
    await rejectsWith(
      new HelixClient({ apiUrl: `http://127.0.0.1:${port}` }).health(),
      'HLX_CLI_UNREACHABLE',
    );
  });

  test('paginate follows nextCursor until the last page', async () => {
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) await client.createProject(name);
    const first = await client.listProjects({ limit: 100 });
    assert.equal(first.items.length, 2);
    assert.notEqual(first.nextCursor, null);
    const start = api.requests.length;
    const names = (await collect(client.paginate((page) => client.listProjects(page)))).map((p) => p.name);
    assert.deepEqual(names, ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    const cursors = api.requests.slice(start).map((request) => request.query.get('cursor'));
    assert.equal(cursors.length, 3);
    assert.equal(cursors[0], null);
    assert.equal(cursors[1], first.nextCursor);
  });

  test('paginate stops with an error when the server repeats a cursor', async () => {
    const looping = client.paginate(async () => ({ items: [1], nextCursor: 'same' }));
    await rejectsWith(collect(looping), 'HLX_INTERNAL');
  });

  test('setEnvVar tells a created variable from a replaced one; sensitive values are not returned', async () => {
    const first = await client.setEnvVar('alpha', {
      key: 'API_KEY',
      value: 's3cret',
      environment: 'production',
      sensitive: true,
    });
    assert.equal(first.created, true);
    assert.equal(first.envVar.value, undefined);
    const second = await client.setEnvVar('alpha', {
      key: 'API_KEY',
      value: 'other',
      environment: 'production',
    });
    assert.equal(second.created, false);
    assert.equal(second.envVar.value, 'other');
    const listed = await client.listEnvVars('alpha', { environment: 'production' });
    assert.deepEqual(
      listed.items.map((item) => item.key),
      ['API_KEY'],
    );
    await client.deleteEnvVar('alpha', first.envVar.id);
    assert.equal((await client.listEnvVars('alpha', { environment: 'production' })).items.length, 0);
  });

  test('path parameters are encoded, so a name cannot reach another route', async () => {
    await rejectsWith(client.getProject('../tokens'), 'HLX_NOT_FOUND');
    assert.equal(api.requests.at(-1)?.path, '/v1/projects/..%2Ftokens');
  });

  test('tokens: create shows the secret once, revoke marks it revoked and it stops working', async () => {
    const created = await client.createToken({ name: 'ci', role: 'viewer' });
    assert.match(created.secret, /^hlx_/);
    const ci = new HelixClient({ apiUrl: api.url, token: created.secret });
    assert.equal((await ci.whoami()).token.name, 'ci');
    await client.revokeToken(created.token.id);
    const tokens = await collect(client.paginate((page) => client.listTokens(page)));
    assert.ok(tokens.find((token) => token.id === created.token.id)?.revokedAt);
    await rejectsWith(ci.whoami(), 'HLX_TOKEN_REVOKED');
  });

  test('environments and projects can be created and deleted', async () => {
    const environment = await client.createEnvironment('bravo', 'staging');
    assert.equal(environment.kind, 'custom');
    await client.deleteEnvironment('bravo', 'staging');
    await client.deleteProject('bravo');
    await rejectsWith(client.getProject('bravo'), 'HLX_NOT_FOUND');
  });
});
