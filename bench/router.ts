// Edge router throughput and latency against nginx, in one run on the same upstream.
// Throughput is compared saturated; latency at one evenly paced load both proxies sustain.
// Usage: npx node bench/router.ts [--duration 10] [--warmup 2] [--connections 50] [--rounds 3]
//                                  [--slices 12] [--slice-seconds 3] [--pin] [--strict]
// The upstream, the router and nginx each run in their own process; autocannon runs here.
// Saturated rounds interleave the three targets; throughput and CPU ratios are medians of
// rounds. Latency is measured in many short paced slices, interleaved and rotated, and each
// target's p99 is the median of its slices' p99s (see lib/report.ts for why).
// --pin gives the proxy under test CPU 1 alone (autocannon and upstream on CPU 0).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forkListening, stopChild } from './lib/children.ts';
import { pin, plannedPlacement } from './lib/cpu-placement.ts';
import { formatTable, type LoadFigures, type LoadOptions, measure } from './lib/load.ts';
import { findNginx, type RunningNginx, startNginx } from './lib/nginx.ts';
import { type Goals, median, printVerdicts, type Targets } from './lib/report.ts';

const goals: Goals = { rpsRatio: 0.7, addedP99Ratio: 2, errors: 0 };

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    slices: { type: 'string', default: '12' },
    'slice-seconds': { type: 'string', default: '3' },
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
const sliceCount = Math.max(1, Number(values.slices));
const sliceSeconds = Number(values['slice-seconds']);

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
const rounds: Targets[] = [];
const slices: Targets[] = [];
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
  type Target = { name: keyof Targets; port: number; pid: number };
  const targets: Target[] = [
    { name: 'direct', port: upstream.port, pid: upstream.process.pid ?? 0 },
    { name: 'router', port: router.port, pid: router.process.pid ?? 0 },
    { name: 'nginx', port: nginx.port, pid: nginx.pid },
  ];
  for (let round = 1; round <= roundCount; round++) {
    const measured = {} as Targets;
    for (const target of targets)
      measured[target.name] = await measure(target.name, target.port, target.pid, load);
    console.log(
      `\nround ${round}, saturated\n${formatTable([measured.direct, measured.router, measured.nginx])}`,
    );
    rounds.push(measured);
  }
  // Latency is compared at one offered load, spread evenly, that both proxies sustain with
  // room to spare (half of the lower saturated rate): near capacity p99 measures queueing,
  // which the req/s ratio already compares.
  const rate = Math.round(
    median(rounds.map((r) => Math.min(r.router.requestsPerSecond, r.nginx.requestsPerSecond))) / 2,
  );
  const paced = { ...load, rate, durationSeconds: sliceSeconds, warmupSeconds: 0.5 };
  console.log(
    `\npaced at ${rate} req/s: ${sliceCount} slices of ${sliceSeconds} s per target, order rotated`,
  );
  for (let slice = 0; slice < sliceCount; slice++) {
    const measured = {} as Targets;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(slice + i) % targets.length]!;
      measured[target.name] = await measure(target.name, target.port, target.pid, paced);
    }
    const row = (figures: Targets[keyof Targets]): string => `${figures.name} ${figures.p99Ms.toFixed(2)}`;
    console.log(
      `slice ${slice + 1} p99 ms: ${[measured.direct, measured.router, measured.nginx].map(row).join(', ')}`,
    );
    slices.push(measured);
  }
} finally {
  await nginx?.stop();
  await stopChild(router.process);
  await stopChild(upstream.process);
}

/** Each target's middle row of `rows`, ordered by `key`. */
const medianTable = (rows: Targets[], key: (figures: LoadFigures) => number): string =>
  formatTable(
    (['direct', 'router', 'nginx'] as const).map((name) => {
      const sorted = rows.map((r) => r[name]).sort((a, b) => key(a) - key(b));
      return sorted[Math.floor((sorted.length - 1) / 2)]!;
    }),
  );
console.log(`\nmedian round by req/s (saturated)\n${medianTable(rounds, (f) => f.requestsPerSecond)}\n`);
console.log(`median slice by p99 (paced)\n${medianTable(slices, (f) => f.p99Ms)}\n`);
const allMet = printVerdicts(rounds, slices, goals);
if (values.strict && !allMet) process.exit(2);
