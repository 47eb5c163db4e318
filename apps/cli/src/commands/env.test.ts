import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi();
  api.state.addProject('web');
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

/** The JSON body of the last request the fake API received. */
function lastBody(): Record<string, unknown> {
  const body = api.requests.at(-1)?.body;
  assert.ok(body && typeof body === 'object', 'the last request had a JSON body');
  return body as Record<string, unknown>;
}

const helix = (...args: string[]) => runHelix([...args, '--project', 'web'], configDir, { env });

describe('helix env', () => {
  test('add --sensitive sends sensitive:true to production by default; ls never shows the value', async () => {
    const added = await helix('env', 'add', 'API_KEY', 'hunter2', '--sensitive');
    assert.equal(added.code, 0, added.stderr);
    const sent = api.requests.at(-1);
    assert.equal(sent?.method, 'POST');
    assert.deepEqual(sent?.body, {
      key: 'API_KEY',
      value: 'hunter2',
      environment: 'production',
      sensitive: true,
    });

    const listed = await helix('env', 'ls');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /API_KEY\s+production\s+\(sensitive\)/);
    assert.ok(!listed.stdout.includes('hunter2'));
    assert.equal(api.requests.at(-1)?.query.get('environment'), 'production');
  });

  test('add without --sensitive sends sensitive:false; a second add reports an update', async () => {
    assert.equal((await helix('env', 'add', 'LOG_LEVEL', 'info', '-e', 'preview')).code, 0);
    assert.equal(lastBody().sensitive, false);
    const updated = await helix('env', 'add', 'LOG_LEVEL', 'debug', '--environment', 'preview');
    assert.match(updated.stdout, /^Updated LOG_LEVEL in preview/);
    const listed = await helix('env', 'ls', '--environment', 'preview', '--json');
    const vars = JSON.parse(listed.stdout) as { key: string; value: string }[];
    assert.deepEqual(
      vars.map((v) => [v.key, v.value]),
      [['LOG_LEVEL', 'debug']],
    );
  });

  test('a value of "-" is read from stdin, without its final newline', async () => {
    const result = await runHelix(['env', 'add', 'CERT', '-', '--project', 'web'], configDir, {
      env,
      input: 'line one\nline two\n',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lastBody().value, 'line one\nline two');
  });

  test('rm deletes the variable by its id; a missing key is HLX_NOT_FOUND', async () => {
    const removed = await helix('env', 'rm', 'API_KEY');
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(api.requests.at(-1)?.method, 'DELETE');
    assert.equal(
      api.state.envVars.find((v) => v.key === 'API_KEY'),
      undefined,
    );
    const missing = await helix('env', 'rm', 'API_KEY');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error HLX_NOT_FOUND: No variable API_KEY in production/);
  });

  test('an invalid key is refused before any request', async () => {
    const count = api.requests.length;
    const result = await helix('env', 'add', '1BAD', 'x');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error HLX_INVALID_ENV_KEY: /);
    assert.equal(api.requests.length, count);
  });
});
