// Rollout under load: constant traffic through the edge router while five consecutive
// redeploys of one production app run. Goal: zero non-2xx responses and zero socket errors.
// Usage: npx node bench/rollout.ts [--redeploys 5] [--connections 8]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import {
  adminToken,
  api,
  deployFolder,
  routerPortOf,
  startServerProcess,
  tempDir,
  waitFinal,
  writeApp,
} from '../e2e/harness.ts';

const { values } = parseArgs({
  options: { redeploys: { type: 'string', default: '5' }, connections: { type: 'string', default: '8' } },
});
const redeploys = Number(values.redeploys);
const connections = Number(values.connections);

const data = tempDir('helix-bench-rollout-');
const apps = tempDir('helix-bench-apps-');
const server = await startServerProcess({ dataDir: data.path, args: ['--router-port', '0'] });
const token = adminToken(data.path);
const routerPort = routerPortOf(server);
await api(server.apiUrl, token, 'POST', '/projects', { name: 'rollout' });

async function release(version: number) {
  const dir = join(apps.path, `v${version}`);
  writeApp(dir, { body: `version ${version}` });
  const deployment = await deployFolder(server.apiUrl, token, 'rollout', dir, { environment: 'production' });
  const final = await waitFinal(server.apiUrl, token, deployment.id);
  if (final.state !== 'READY') throw new Error(`v${version} ended ${final.state}: ${final.errorMessage}`);
}

await release(0);
const counts = { ok: 0, non2xx: 0, socketErrors: 0 };
const seen = new Set<string>();
const latencies: number[] = [];
let loading = true;
const dispatcher = new Agent({ connections: connections * 2 });
async function loadLoop() {
  // Bounded: stops when the redeploys finish, and in any case after five minutes.
  const stopAt = Date.now() + 5 * 60_000;
  while (loading && Date.now() < stopAt) {
    const started = performance.now();
    try {
      const response = await request(`http://127.0.0.1:${routerPort}/`, {
        headers: { host: 'rollout.localhost' },
        dispatcher,
      });
      const body = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        counts.ok++;
        seen.add(body);
      } else counts.non2xx++;
    } catch {
      counts.socketErrors++;
    }
    latencies.push(performance.now() - started);
  }
}
const loaders = Array.from({ length: connections }, loadLoop);
const started = Date.now();
for (let version = 1; version <= redeploys; version++) await release(version);
loading = false;
await Promise.all(loaders);
const seconds = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);

console.log(
  `rollout under load, ${new Date().toISOString()}, ${redeploys} redeploys in ${seconds.toFixed(1)} s`,
);
console.log(
  `requests: ${counts.ok + counts.non2xx + counts.socketErrors} (${((counts.ok + counts.non2xx) / seconds).toFixed(0)}/s), p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
);
console.log(`versions served: ${[...seen].sort().join(', ')}`);
console.log(`non-2xx: ${counts.non2xx} (goal 0)  socket errors: ${counts.socketErrors} (goal 0)`);
const pass = counts.non2xx === 0 && counts.socketErrors === 0 && seen.has(`version ${redeploys}`);
console.log(pass ? 'PASS' : 'FAIL');
await dispatcher.close();
server.child.kill('SIGTERM');
await server.exited;
data.remove();
apps.remove();
process.exit(pass ? 0 : 1);
