import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

describe('helix link', () => {
  test('a missing project is created only with --create', async () => {
    const checkout = await temporaryDir();
    const refused = await runHelix(['link', '--project', 'shop', checkout], configDir, { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error HLX_NOT_FOUND: .*--create/);
    await assert.rejects(stat(join(checkout, '.helix')), { code: 'ENOENT' });
    assert.equal(api.state.findProject('shop'), undefined);

    const linked = await runHelix(['link', '--project', 'shop', '--create', checkout], configDir, { env });
    assert.equal(linked.code, 0, linked.stderr);
    const project = api.state.findProject('shop');
    assert.ok(project);
    const written = JSON.parse(await readFile(join(checkout, '.helix', 'project.json'), 'utf8'));
    assert.deepEqual(written, { projectId: project.id, projectName: 'shop', apiUrl: api.url });
  });

  test('without --project the directory name is used, and the cwd is the default dir', async () => {
    const parent = await temporaryDir();
    const checkout = join(parent, 'blog');
    await mkdir(checkout);
    api.state.addProject('blog');
    const linked = await runHelix(['link', '--json'], configDir, { env, cwd: checkout });
    assert.equal(linked.code, 0, linked.stderr);
    assert.equal(JSON.parse(linked.stdout).projectName, 'blog');
    assert.equal(
      JSON.parse(await readFile(join(checkout, '.helix', 'project.json'), 'utf8')).projectName,
      'blog',
    );
  });

  test('commands find the link from a subdirectory, and refuse one made for another API URL', async () => {
    const checkout = await temporaryDir();
    const project = api.state.addProject('linked');
    await mkdir(join(checkout, 'src', 'deep'), { recursive: true });
    assert.equal((await runHelix(['link', '--project', 'linked', checkout], configDir, { env })).code, 0);
    const listed = await runHelix(['env', 'ls', '--json'], configDir, {
      env,
      cwd: join(checkout, 'src', 'deep'),
    });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(api.requests.at(-1)?.path, `/v1/projects/${project.id}/env`);

    const linkFile = join(checkout, '.helix', 'project.json');
    const link = JSON.parse(await readFile(linkFile, 'utf8'));
    await writeFile(linkFile, JSON.stringify({ ...link, apiUrl: 'http://127.0.0.1:1' }));
    const refused = await runHelix(['env', 'ls'], configDir, { env, cwd: checkout });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error HLX_CLI_NOT_LINKED: /);
  });

  test('with no link and no --project, env commands say HLX_CLI_NOT_LINKED', async () => {
    const result = await runHelix(['env', 'ls'], configDir, { env, cwd: await temporaryDir() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error HLX_CLI_NOT_LINKED: /);
  });
});
