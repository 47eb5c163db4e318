// Turns saturated rounds and paced latency slices into medians, ratios and goal verdicts.
import { type LoadFigures, percentile } from './load.ts';

export interface Goals {
  rpsRatio: number;
  addedP99Ratio: number;
  errors: number;
}

/** One measurement of each target, taken one after the other. */
export interface Targets {
  direct: LoadFigures;
  router: LoadFigures;
  nginx: LoadFigures;
}

/** A proxy cannot add less than nothing; the floor keeps the ratio finite when nginx adds ~0. */
const minimumAddedMs = 0.5;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface AddedLatency {
  /** Median over slices of each target's p99. */
  p99Ms: Record<keyof Targets, number>;
  routerAddedMs: number;
  nginxAddedMs: number;
  ratio: number;
}

/**
 * Each target's p99 is the median of its slices' p99s. On a shared machine a single burst
 * of outside load (a stall of 50 ms to over a second) decides the p99 of whichever slice it
 * lands in, for any target; the median over many short interleaved slices is the p99 of a
 * typical stretch, and the slices' spread is printed beside it.
 */
export function addedLatency(slices: Targets[]): AddedLatency {
  const p99 = (pick: (slice: Targets) => LoadFigures): number => median(slices.map((s) => pick(s).p99Ms));
  const p99Ms = { direct: p99((s) => s.direct), router: p99((s) => s.router), nginx: p99((s) => s.nginx) };
  const routerAddedMs = p99Ms.router - p99Ms.direct;
  const nginxAddedMs = p99Ms.nginx - p99Ms.direct;
  return {
    p99Ms,
    routerAddedMs,
    nginxAddedMs,
    ratio: Math.max(routerAddedMs, 0) / Math.max(nginxAddedMs, minimumAddedMs),
  };
}

/** p99 of every request of every slice together, and the worst slice's p99, per target. */
export function latencySpread(slices: Targets[], pick: (slice: Targets) => LoadFigures): string {
  const all = slices.flatMap((slice) => pick(slice).times).sort((a, b) => a - b);
  const p99s = slices.map((slice) => pick(slice).p99Ms).sort((a, b) => a - b);
  return (
    `p99 of all requests ${percentile(all, 0.99).toFixed(2)} ms, ` +
    `slice p99s ${p99s[0]!.toFixed(2)}–${p99s[p99s.length - 1]!.toFixed(2)} ms`
  );
}

/** The goal lines; returns whether every goal is met. */
export function printVerdicts(rounds: Targets[], slices: Targets[], goals: Goals): boolean {
  const rpsRatios = rounds.map((r) => r.router.requestsPerSecond / r.nginx.requestsPerSecond);
  const cpuRatios = rounds.map((r) => r.router.cpuMsPerThousand / r.nginx.cpuMsPerThousand);
  const rps = median(rpsRatios);
  const cpu = median(cpuRatios);
  const latency = addedLatency(slices);
  const errors = [...rounds, ...slices].reduce((sum, r) => sum + r.router.errors + r.router.non2xx, 0);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const list = (values: number[]): string => values.map((v) => v.toFixed(2)).join(', ');
  for (const name of ['direct', 'router', 'nginx'] as const) {
    console.log(`${name.padEnd(6)} paced: ${latencySpread(slices, (s) => s[name])}`);
  }
  console.log(
    `router rps / nginx rps       ${rps.toFixed(2)}  (goal >= ${goals.rpsRatio}: ${verdict(rps >= goals.rpsRatio)}; rounds ${list(rpsRatios)})`,
  );
  console.log(
    `router added p99 / nginx's   ${latency.ratio.toFixed(2)}  at equal load, median of ${slices.length} slices ` +
      `(router +${latency.routerAddedMs.toFixed(2)} ms, nginx +${latency.nginxAddedMs.toFixed(2)} ms; ` +
      `goal <= ${goals.addedP99Ratio}: ${verdict(latency.ratio <= goals.addedP99Ratio)})`,
  );
  console.log(
    `router errors + non-2xx      ${errors}  (goal ${goals.errors}: ${verdict(errors === goals.errors)})`,
  );
  console.log(`router CPU / nginx CPU       ${cpu.toFixed(2)}  per request (rounds ${list(cpuRatios)})`);
  return rps >= goals.rpsRatio && latency.ratio <= goals.addedP99Ratio && errors === goals.errors;
}
