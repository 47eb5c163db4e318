// Deploy latency: `helix deploy --prod` of examples/express-app, from command start to the
// first 200 on its URL, cold and as an unchanged redeploy, beside the floor: the same
// install (npm ci) and start done by hand in the same run.
// Goal: an unchanged redeploy within 1.5 s of the floor.
// Usage: npx node bench/deploy-latency.ts [--rounds 3]
import { execFile, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { request } from 'undici';
import { adminToken, helixBin, repoRoot, routerPortOf, startServerProcess, tempDir } from '../e2e/harness.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds));
const example = join(repoRoot, 'examples/express-app');

async function firstOk(url: string, host?: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await request(url, host ? { headers: { host } } : {});
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered 200`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The floor: copy, npm ci, start, first 200, by hand. */
async function floor(): Promise<number> {
  const dir = tempDir('helix-bench-floor-');
  try {
    cpSync(example, dir.path, { recursive: true });
    const started = performance.now();
    await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir.path });
    const port = await freePort();
    const app = spawn(process.execPath, ['server.js'], {
      cwd: dir.path,
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    await firstOk(`http://127.0.0.1:${port}/`);
    const elapsed = performance.now() - started;
    app.kill('SIGTERM');
    return elapsed;
  } finally {
    dir.remove();
  }
}

const data = tempDir('helix-bench-deploy-');
const home = tempDir('helix-bench-home-');
const server = await startServerProcess({ dataDir: data.path, args: ['--router-port', '0'] });
const routerPort = routerPortOf(server);
const env = {
  ...process.env,
  HELIX_CONFIG_DIR: home.path,
  HELIX_API_URL: server.apiUrl.replace(/\/v1$/, ''),
  HELIX_TOKEN: adminToken(data.path),
};

/** `helix deploy --prod --json`, then the first 200 on the new deployment's own URL. */
async function deploy(dir: string): Promise<number> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [helixBin, 'deploy', '--prod', '--json'], { cwd: dir, env });
  const result = JSON.parse(stdout) as { state: string; urls: { deployment: string } };
  if (result.state !== 'READY') throw new Error(`deploy ended ${result.state}`);
  await firstOk(`http://127.0.0.1:${routerPort}/`, new URL(result.urls.deployment).hostname);
  return performance.now() - started;
}

const results: { cold: number; redeploy: number; floor: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const app = tempDir('helix-bench-app-');
  const dir = join(app.path, `latency-${round}`);
  cpSync(example, dir, { recursive: true });
  const cold = await deploy(dir);
  const redeploy = await deploy(dir);
  results.push({ cold, redeploy, floor: await floor() });
  app.remove();
}
server.child.kill('SIGTERM');
await server.exited;
data.remove();
home.remove();

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const cold = median(results.map((r) => r.cold));
const redeploy = median(results.map((r) => r.redeploy));
const floorMs = median(results.map((r) => r.floor));
console.log(`deploy latency, ${new Date().toISOString()}, ${rounds} rounds (medians)`);
console.log(`floor (npm ci + start by hand): ${(floorMs / 1000).toFixed(2)} s`);
console.log(
  `cold deploy:                    ${(cold / 1000).toFixed(2)} s  (${(cold / floorMs).toFixed(2)}x floor)`,
);
console.log(
  `unchanged redeploy:             ${(redeploy / 1000).toFixed(2)} s  (${(redeploy / floorMs).toFixed(2)}x floor, +${((redeploy - floorMs) / 1000).toFixed(2)} s; goal +1.50 s)`,
);
const pass = redeploy - floorMs <= 1500;
console.log(pass ? 'PASS' : 'FAIL');
process.exit(pass ? 0 : 1);
