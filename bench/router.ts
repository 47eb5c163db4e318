// Edge router throughput and latency against nginx, in one run on the same upstream.
// Throughput is compared saturated; latency at one evenly paced load both proxies sustain.
// Usage: npx node bench/router.ts [--duration 10] [--warmup 2] [--connections 50] [--rounds 3]
//                                  [--pin] [--strict]
// The upstream, the router and nginx each run in their own process; autocannon runs here.
// Rounds interleave the three targets so each sees the same background load; medians are
// reported. --pin gives the proxy under test CPU 1 alone (autocannon and upstream on CPU 0).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forkListening, stopChild } from './lib/children.ts';
import { pin, plannedPlacement } from './lib/cpu-placement.ts';
import { formatTable, type LoadFigures, type LoadOptions, measure } from './lib/load.ts';
import { findNginx, type RunningNginx, startNginx } from './lib/nginx.ts';
import { type Goals, printVerdicts, type Round } from './lib/report.ts';

const goals: Goals = { rpsRatio: 0.7, addedP99Ratio: 2, errors: 0 };

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    pin: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const load: LoadOptions = {
  durationSeconds: Number(values.duration),
  warmupSeconds: Number(values.warmup),
  connections: Number(values.connections),
  host: 'bench.localhost',
};
const roundCount = Math.max(1, Number(values.rounds));

const nginxBinary = findNginx();
if (nginxBinary === undefined) {
  console.error('nginx is not installed; it is the baseline of this benchmark.');
  console.error('Install it with: apt-get install -y nginx   (Debian package "nginx")');
  process.exit(1);
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const upstream = await forkListening(here('./lib/upstream-child.ts'));
const router = await forkListening(here('./lib/router-child.ts'), [String(upstream.port), load.host]);
let nginx: RunningNginx | undefined;
const rounds: Round[] = [];
try {
  nginx = await startNginx(nginxBinary, upstream.port);
  const placement = values.pin ? plannedPlacement() : undefined;
  if (placement) {
    pin(process.pid, placement.generatorCpu);
    pin(upstream.process.pid ?? 0, placement.generatorCpu);
    pin(router.process.pid ?? 0, placement.proxyCpu);
    pin(nginx.pid, placement.proxyCpu);
  }
  console.log(
    `load: ${load.connections} connections, ` +
      `${load.warmupSeconds} s warm-up + ${load.durationSeconds} s per target, ${roundCount} round(s), ` +
      `Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(
    placement
      ? `placement: router and nginx on CPU ${placement.proxyCpu}; autocannon and upstream on CPU ${placement.generatorCpu}`
      : 'placement: not pinned (all processes share all CPUs)',
  );
  for (let round = 1; round <= roundCount; round++) {
    const direct = await measure('direct', upstream.port, upstream.process.pid ?? 0, load);
    const viaRouter = await measure('router', router.port, router.process.pid ?? 0, load);
    const viaNginx = await measure('nginx', nginx.port, nginx.pid, load);
    console.log(`\nround ${round}, saturated\n${formatTable([direct, viaRouter, viaNginx])}`);
    // Latency is compared at one offered load, spread evenly, that both proxies sustain with
    // room to spare (half of the lower saturated rate): near capacity p99 measures queueing,
    // which the req/s ratio already compares.
    const rate = Math.min(viaRouter.requestsPerSecond, viaNginx.requestsPerSecond) / 2;
    const paced = { ...load, rate: Math.round(rate) };
    const directPaced = await measure('direct', upstream.port, upstream.process.pid ?? 0, paced);
    const routerPaced = await measure('router', router.port, router.process.pid ?? 0, paced);
    const nginxPaced = await measure('nginx', nginx.port, nginx.pid, paced);
    console.log(
      `round ${round}, paced at ${paced.rate} req/s\n${formatTable([directPaced, routerPaced, nginxPaced])}`,
    );
    rounds.push({
      direct,
      router: viaRouter,
      nginx: viaNginx,
      paced: { direct: directPaced, router: routerPaced, nginx: nginxPaced },
    });
  }
} finally {
  await nginx?.stop();
  await stopChild(router.process);
  await stopChild(upstream.process);
}

const medianRow = (pick: (round: Round) => LoadFigures): LoadFigures => {
  const rows = rounds.map(pick).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return rows[Math.floor((rows.length - 1) / 2)]!;
};
console.log(
  `\nmedian round by req/s\n${formatTable([medianRow((r) => r.direct), medianRow((r) => r.router), medianRow((r) => r.nginx)])}\n`,
);
console.log(
  `median round at equal load\n${formatTable([medianRow((r) => r.paced.direct), medianRow((r) => r.paced.router), medianRow((r) => r.paced.nginx)])}\n`,
);
const allMet = printVerdicts(rounds, goals);
if (values.strict && !allMet) process.exit(2);
