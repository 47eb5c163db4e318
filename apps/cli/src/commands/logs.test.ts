import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Deployment, HelixClient } from '@helixstack/client';
import { type FakeApi, readyDeployment, readyScript, startFakeApi } from '@helixstack/client/testing';
import { runHelix, startHelix, temporaryDir } from '../run-helix.ts';

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

const scriptedLines = readyScript({} as Deployment).flatMap((step) => (step.log ? [step] : []));

describe('helix logs', () => {
  test('prints "<time> <source> <text>" for every line, the stderr stream on stdout too', async () => {
    const deployment = await readyDeployment(client, 'web');
    const stored = api.state.deployments.find(deployment.id)!;
    api.state.deployments.appendLog(
      stored,
      { log: 'boom', source: 'runtime', stream: 'stderr' },
      '2025-02-01T00:00:00.000Z',
    );
    const result = await runHelix(['logs', deployment.id], configDir, { env });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, scriptedLines.length + 1);
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z build Detected a Node\.js app \(npm\)$/);
    assert.equal(lines.at(-1), '2025-02-01T00:00:00.000Z runtime boom');
    assert.equal(api.requests.at(-1)?.query.get('follow'), 'false');
  });

  test('a project name reads its production deployment; --source is passed on', async () => {
    const production = await readyDeployment(client, 'web', 'production');
    const result = await runHelix(['logs', 'web', '--source', 'system'], configDir, { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.at(-1)?.path, `/v1/deployments/${production.id}/logs`);
    assert.equal(api.requests.at(-1)?.query.get('source'), 'system');
    assert.match(result.stdout, /^\S+ system starting 1 instance\n$/);
    const bad = await runHelix(['logs', 'web', '--source', 'kernel'], configDir, { env });
    assert.equal(bad.code, 2);
  });

  test('-f keeps following, and resumes after the last seq when the connection drops', async () => {
    const deployment = await readyDeployment(client, 'web');
    const stored = api.state.deployments.find(deployment.id)!;
    api.state.logStreamDrops.push(2);
    const start = api.requests.length;
    const following = startHelix(['logs', deployment.id, '-f'], configDir, { env });
    try {
      await following.waitForStdout(/listening on port 3000\n/);
      api.state.deployments.appendLog(
        stored,
        { log: 'a line written later', source: 'runtime' },
        api.state.now(),
      );
      await following.waitForStdout(/a line written later\n/);
    } finally {
      await following.stop();
    }
    const texts = following
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' ').slice(2).join(' '));
    assert.deepEqual(texts, [...scriptedLines.map((step) => step.log), 'a line written later']);
    assert.match(following.stderr(), /Log stream interrupted .*; reconnecting/);
    const streams = api.requests.slice(start).filter((request) => request.path.endsWith('/logs'));
    assert.equal(streams.length, 2);
    assert.equal(streams[0]?.query.get('follow'), 'true');
    assert.equal(streams[1]?.query.get('after'), String(stored.lines[1]?.seq));
  });
});
