import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  adminToken,
  helixBin,
  repoRoot,
  routerPortOf,
  type ServerProcess,
  startServerProcess,
  tempDir,
  viaRouter,
} from './harness.ts';

const run = promisify(execFile);

describe('the deploy loop, as a user runs it', () => {
  const data = tempDir('helix-e2e-loop-');
  const home = tempDir('helix-e2e-loop-home-');
  const work = tempDir('helix-e2e-loop-app-');
  const app = join(work.path, 'hello-loop');
  let server: ServerProcess;
  let routerPort: number;
  let env: NodeJS.ProcessEnv;

  const helixWithLog = (args: string[]) =>
    run(process.execPath, [helixBin, ...args], { cwd: app, env, timeout: 180_000 });
  const helix = async (args: string[]) => (await helixWithLog(args)).stdout;
  const start = async () => {
    server = await startServerProcess({
      dataDir: data.path,
      args: ['--router-port', String(routerPort ?? 0)],
    });
    routerPort = routerPortOf(server);
    env = {
      ...process.env,
      HELIX_CONFIG_DIR: home.path,
      HELIX_API_URL: server.apiUrl.replace(/\/v1$/, ''),
      HELIX_TOKEN: adminToken(data.path),
    };
  };
  const served = () => viaRouter(routerPort, 'hello-loop.localhost');

  before(async () => {
    cpSync(join(repoRoot, 'examples/node-http'), app, { recursive: true });
    await start();
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    for (const dir of [data, home, work]) dir.remove();
  });

  test('helix deploy --prod builds the example and prints its URL; the router serves it', async () => {
    const result = JSON.parse(await helix(['deploy', '--prod', '--json']));
    assert.equal(result.state, 'READY');
    assert.match(result.url, /hello-loop/);
    const page = await served();
    assert.equal(page.status, 200);
    assert.match(page.text, /Hello from node-http/);
  });

  test('an unchanged redeploy uploads nothing', async () => {
    const { stderr } = await helixWithLog(['deploy', '--prod']);
    assert.match(stderr, /Uploaded 0 files \(0 B\), \d+ unchanged\./);
  });

  test('a redeploy of a change serves the new content', async () => {
    writeFileSync(
      join(app, 'server.js'),
      `import { createServer } from 'node:http';
createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'Hello from version two')).listen(Number(process.env.PORT), '127.0.0.1');
`,
    );
    const stdout = await helix(['deploy', '--prod']);
    const url = stdout.trim().split('\n').at(-1)!;
    assert.match(url, /^http:\/\/hello-loop\.localhost:\d+/, 'the URL is the last line on stdout');
    assert.deepEqual(await served(), { status: 200, text: 'Hello from version two' });
  });

  test('helix rollback serves the previous version at once', async () => {
    await helix(['rollback']);
    const page = await served();
    assert.match(page.text, /Hello from node-http/);
  });

  test('after SIGKILL and a restart the app is served again and no orphan stayed behind', async () => {
    const records = join(data.path, 'runtime-process');
    const before = readdirSync(records)
      .filter((name) => name.endsWith('.json'))
      .map(
        (name) =>
          (JSON.parse(readFileSync(join(records, name), 'utf8')) as { process?: { pid: number } }).process
            ?.pid,
      )
      .filter((pid): pid is number => pid !== undefined);
    assert.ok(before.length >= 1, 'app processes were running');
    server.child.kill('SIGKILL');
    await server.exited;
    await start();
    let page = await served();
    for (let i = 0; i < 100 && page.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = await served();
    }
    assert.equal(page.status, 200);
    assert.match(page.text, /Hello from node-http/);
    // A killed child whose parent died waits as a zombie until init reaps it: not running.
    const alive = (pid: number) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    };
    assert.deepEqual(before.filter(alive), [], 'the processes of the killed server are gone');
  });
});
