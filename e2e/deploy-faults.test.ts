import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  adminToken,
  api,
  deployFolder,
  routerPortOf,
  type ServerProcess,
  startServerProcess,
  tempDir,
  viaRouter,
  waitFinal,
  writeApp,
} from './harness.ts';

describe('deploys that fail leave production where it was', () => {
  const data = tempDir('helix-e2e-faults-');
  const apps = tempDir('helix-e2e-apps-');
  let server: ServerProcess;
  let token: string;
  let routerPort: number;
  const production = () => viaRouter(routerPort, 'faults.localhost');

  before(async () => {
    server = await startServerProcess({ dataDir: data.path, args: ['--router-port', '0'] });
    token = adminToken(data.path);
    routerPort = routerPortOf(server);
    await api(server.apiUrl, token, 'POST', '/projects', { name: 'faults' });
    writeApp(join(apps.path, 'v1'), { body: 'version one' });
    const v1 = await deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'v1'), {
      environment: 'production',
    });
    assert.equal((await waitFinal(server.apiUrl, token, v1.id)).state, 'READY');
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    data.remove();
    apps.remove();
  });

  test('the production alias serves the deployment, and its immutable URL too', async () => {
    assert.deepEqual(await production(), { status: 200, text: 'version one' });
    const unknown = await viaRouter(routerPort, 'nobody-here.localhost');
    assert.equal(unknown.status, 404);
  });

  test('a failing build is ERROR with its output in the logs', async () => {
    writeApp(join(apps.path, 'broken'), {
      body: 'never',
      build: 'echo compiling && echo "syntax error in app.ts" >&2 && exit 3',
    });
    const broken = await deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'broken'), {
      environment: 'production',
    });
    const final = await waitFinal(server.apiUrl, token, broken.id);
    assert.equal(final.state, 'ERROR');
    const logs = await fetch(`${server.apiUrl}/deployments/${broken.id}/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.match(await logs.text(), /syntax error in app\.ts/);
    assert.deepEqual(await production(), { status: 200, text: 'version one' });
  });

  test('an app that never passes its health check is ERROR after the deadline; the old one keeps serving', async () => {
    writeApp(join(apps.path, 'sick'), { body: 'sick', health: 'fail', timeoutSeconds: 3 });
    const sick = await deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'sick'), {
      environment: 'production',
    });
    const final = await waitFinal(server.apiUrl, token, sick.id);
    assert.equal(final.state, 'ERROR');
    assert.match(final.errorMessage, /health/i);
    assert.deepEqual(await production(), { status: 200, text: 'version one' });
  });

  test('an app that exits at once shows a crash loop with backoff while it deploys', async () => {
    writeApp(join(apps.path, 'crash'), { body: 'crash', exitAtOnce: true, timeoutSeconds: 8 });
    const crash = await deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'crash'), {
      environment: 'production',
    });
    let sawCrashLoop = false;
    for (let i = 0; i < 80 && !sawCrashLoop; i++) {
      const { json } = await api(server.apiUrl, token, 'GET', `/deployments/${crash.id}`);
      sawCrashLoop = json.instance?.state === 'crash-loop' && json.instance.restarts >= 1;
      if (['ERROR', 'READY'].includes(json.state)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(sawCrashLoop, 'the crash loop was visible on the deployment');
    assert.equal((await waitFinal(server.apiUrl, token, crash.id)).state, 'ERROR');
    assert.deepEqual(await production(), { status: 200, text: 'version one' });
  });

  test('a branch named like shell syntax is only data', async () => {
    const marker = `/tmp/helix-branch-${process.pid}`;
    writeApp(join(apps.path, 'branchy'), { body: 'branchy' });
    const deployed = await deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'branchy'), {
      branch: `main;touch ${marker}`,
    });
    assert.equal((await waitFinal(server.apiUrl, token, deployed.id)).state, 'READY');
    assert.equal(existsSync(marker), false);
    const branchHost = new URL(
      (await api(server.apiUrl, token, 'GET', `/deployments/${deployed.id}`)).json.urls.branch,
    ).hostname;
    assert.deepEqual(await viaRouter(routerPort, branchHost), { status: 200, text: 'branchy' });
  });

  test('two deploys of one environment at once are built one after the other', async () => {
    writeApp(join(apps.path, 'v2'), { body: 'version two', build: 'node -e "setTimeout(() => {}, 1500)"' });
    writeApp(join(apps.path, 'v3'), { body: 'version three' });
    const [v2, v3] = await Promise.all([
      deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'v2'), { environment: 'production' }),
      deployFolder(server.apiUrl, token, 'faults', join(apps.path, 'v3'), { environment: 'production' }),
    ]);
    const [a, b] = await Promise.all([
      waitFinal(server.apiUrl, token, v2!.id),
      waitFinal(server.apiUrl, token, v3!.id),
    ]);
    assert.equal(a.state, 'READY');
    assert.equal(b.state, 'READY');
    const [first, second] = [a, b].sort((x, y) => Date.parse(x.readyAt) - Date.parse(y.readyAt));
    const secondLogs = await fetch(`${server.apiUrl}/deployments/${second!.id}/logs?source=system`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const building = (await secondLogs.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((event) => event.type === 'log' && event.text === 'Building');
    assert.ok(
      Date.parse(building.time) >= Date.parse(first!.readyAt),
      'the second build started after the first was live',
    );
    const project = await api(server.apiUrl, token, 'GET', '/projects/faults');
    assert.equal(project.json.productionDeploymentId, second!.id);
  });
});
