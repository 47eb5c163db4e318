import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HelixClient } from '@helixstack/client';
import { type FakeApi, readyDeployment, readyScript, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;
let client: HelixClient;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi();
  api.state.addProject('web');
  client = new HelixClient({ apiUrl: api.url, token: api.ownerToken });
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

const helix = (...args: string[]) => runHelix(args, configDir, { env });

describe('helix ls and inspect', () => {
  test('ls asks for --limit deployments of the project and prints them newest first', async () => {
    const older = await readyDeployment(client, 'web');
    const newer = await readyDeployment(client, 'web');
    const result = await helix('ls', '--project', 'web', '--limit', '2');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.at(-1)?.path, '/v1/projects/web/deployments');
    assert.equal(api.requests.at(-1)?.query.get('limit'), '2');
    const [header, first, second] = result.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^ID\s+STATE\s+ENVIRONMENT\s+URL\s+AGE$/);
    assert.match(first ?? '', new RegExp(`^${newer.id}\\s+READY\\s+preview\\s+${newer.url}\\s+\\d+[smhd]$`));
    assert.ok(second?.startsWith(older.id));
    const bad = await helix('ls', '--project', 'web', '--limit', '0');
    assert.equal(bad.code, 2);
  });

  test('inspect shows the plan, artifact, crash-looping instance, error and URLs', async () => {
    const deployment = await readyDeployment(client, 'web');
    const stored = api.state.deployments.find(deployment.id)!;
    stored.plan = { builder: 'builder-node', summary: 'npm, build: npm run build, start: npm start' };
    stored.artifact = { kind: 'process-bundle', digest: 'sha256:abc' };
    stored.errorMessage = 'The app exited with code 1';
    const nextRestartAt = new Date(Date.now() + 30_000).toISOString();
    stored.instance = {
      state: 'crash-loop',
      healthy: false,
      restarts: 3,
      message: 'exit code 1',
      nextRestartAt,
    };
    const result = await helix('inspect', deployment.id);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.at(-1)?.path, `/v1/deployments/${deployment.id}`);
    for (const expected of [
      /^id\s+dpl_\d+$/m,
      /^builder\s+builder-node: npm, build: npm run build, start: npm start$/m,
      /^artifact\s+process-bundle sha256:abc$/m,
      /^instance\s+crash-loop, unhealthy, 3 restarts, next restart in \d+s \(.+\): exit code 1$/m,
      /^error\s+The app exited with code 1$/m,
      new RegExp(`^url\\s+${deployment.url}$`, 'm'),
    ]) {
      assert.match(result.stdout, expected);
    }
    const json = await helix('inspect', deployment.id, '--json');
    assert.equal(JSON.parse(json.stdout).instance.restarts, 3);
  });
});

describe('helix promote, rollback and open', () => {
  test('promote posts the deployment to the project; rollback without an id posts none', async () => {
    const first = await readyDeployment(client, 'web', 'production');
    const second = await readyDeployment(client, 'web', 'production');
    const back = await helix('rollback', '--project', 'web');
    assert.equal(back.code, 0, back.stderr);
    assert.equal(api.requests.at(-1)?.path, '/v1/projects/web/rollback');
    assert.deepEqual(api.requests.at(-1)?.body, {});
    assert.match(back.stdout, new RegExp(`^Rolled back to ${first.id}: production is http://web\\.`));

    const forward = await helix('promote', second.id, '--project', 'web');
    assert.equal(forward.code, 0, forward.stderr);
    assert.equal(api.requests.at(-1)?.path, '/v1/projects/web/promote');
    assert.deepEqual(api.requests.at(-1)?.body, { deployment: second.id });

    const named = await helix('rollback', first.id, '--project', 'web', '--json');
    assert.deepEqual(api.requests.at(-1)?.body, { deployment: first.id });
    assert.equal(JSON.parse(named.stdout).production.deploymentId, first.id);
  });

  test('promoting a deployment that is not READY fails with the server error', async () => {
    api.state.deployments.script = () => [{ state: 'BUILDING' }];
    try {
      const source = { type: 'git' as const, url: 'https://example.com/web.git', ref: 'main' };
      const building = await client.createDeployment('web', { source });
      const result = await helix('promote', building.id, '--project', 'web');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error HLX_NOT_READY: /);
    } finally {
      api.state.deployments.script = readyScript;
    }
  });

  test('open prints the URL and hands it to xdg-open; without xdg-open it still succeeds', async () => {
    const bin = await temporaryDir('helix-bin-');
    const opened = join(bin, 'opened.txt');
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const deployment = await readyDeployment(client, 'web');
    const withOpener = { env: { ...env, PATH: `${bin}:${process.env.PATH}` } };

    const byId = await runHelix(['open', deployment.id], configDir, withOpener);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(byId.stdout, `${deployment.url}\n`);
    const byProject = await runHelix(['open', 'web'], configDir, withOpener);
    const production = api.state.findProject('web')!.urls.production;
    assert.equal(byProject.stdout, `${production}\n`);
    assert.deepEqual((await readFile(opened, 'utf8')).split('\n'), [deployment.url, production, '']);

    const without = await runHelix(['open', deployment.id], configDir, {
      env: { ...env, PATH: '/nonexistent' },
    });
    assert.equal(without.code, 0, without.stderr);
    assert.equal(without.stdout, `${deployment.url}\n`);
  });

  test('logs, inspect and open of something missing exit 1; a project without production says so', async () => {
    const missing = await helix('inspect', 'dpl_missing');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error HLX_NOT_FOUND: /);
    api.state.addProject('fresh');
    const noProduction = await helix('logs', 'fresh');
    assert.equal(noProduction.code, 1);
    assert.match(
      noProduction.stderr,
      /^Error HLX_CLI_NO_DEPLOYMENT: Project fresh has no production deployment/,
    );
    const nothingToOpen = await helix('open', 'fresh');
    assert.equal(nothingToOpen.code, 1);
    assert.match(nothingToOpen.stderr, /^Error HLX_CLI_NO_DEPLOYMENT: /);
  });
});
