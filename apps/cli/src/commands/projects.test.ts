import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeApi, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi({ maxPageSize: 2 });
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

describe('helix projects', () => {
  test('create prints the project; ls --json returns every project across pages', async () => {
    for (const name of ['web', 'api', 'docs']) {
      const created = await runHelix(['projects', 'create', name, '--json'], configDir, { env });
      assert.equal(created.code, 0, created.stderr);
      assert.equal(JSON.parse(created.stdout).name, name);
    }
    const listed = await runHelix(['projects', 'ls', '--json'], configDir, { env });
    assert.equal(listed.code, 0, listed.stderr);
    const projects = JSON.parse(listed.stdout) as { name: string }[];
    assert.deepEqual(
      projects.map((project) => project.name),
      ['web', 'api', 'docs'],
    );
  });

  test('ls prints an aligned table with a header', async () => {
    const listed = await runHelix(['projects', 'ls'], configDir, { env });
    const lines = listed.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID\s+NAME\s+CREATED$/);
    assert.equal(lines.length, 4);
    const nameColumn = lines[0]?.indexOf('NAME') ?? -1;
    const names = lines.slice(1).map((line) => line.slice(nameColumn).split(' ')[0]);
    assert.deepEqual(names, ['web', 'api', 'docs'], 'every name starts under NAME');
  });

  test('rm refuses without --yes when stdin is not a terminal, and deletes with it', async () => {
    const refused = await runHelix(['projects', 'rm', 'docs'], configDir, { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^Error HLX_CLI_USAGE: .*--yes/);
    assert.ok(api.state.findProject('docs'), 'still there');
    const removed = await runHelix(['projects', 'rm', 'docs', '--yes'], configDir, { env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(api.state.findProject('docs'), undefined);
    assert.equal(api.requests.at(-1)?.method, 'DELETE');
  });

  test('rm of a missing project is HLX_NOT_FOUND with exit 1', async () => {
    const result = await runHelix(['projects', 'rm', 'nope', '-y'], configDir, { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error HLX_NOT_FOUND: /);
  });
});
