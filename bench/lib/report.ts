// Turns the rows of several interleaved rounds into medians, ratios and goal verdicts.
import type { LoadFigures } from './load.ts';

export interface Goals {
  rpsRatio: number;
  addedP99Ratio: number;
  errors: number;
}

export interface Targets {
  direct: LoadFigures;
  router: LoadFigures;
  nginx: LoadFigures;
}

/** Saturated figures (throughput, errors) and figures at one offered load (latency). */
export interface Round extends Targets {
  paced: Targets;
}

export interface Ratios {
  rps: number;
  addedP99: number;
  routerAddedP99Ms: number;
  nginxAddedP99Ms: number;
  cpu: number;
}

/** A proxy cannot add less than nothing; the floor keeps the ratio finite when nginx adds ~0. */
const minimumAddedMs = 0.5;

export function ratiosOf(round: Round): Ratios {
  const { paced } = round;
  const routerAdded = paced.router.p99Ms - paced.direct.p99Ms;
  const nginxAdded = paced.nginx.p99Ms - paced.direct.p99Ms;
  return {
    rps: round.router.requestsPerSecond / round.nginx.requestsPerSecond,
    addedP99: Math.max(routerAdded, 0) / Math.max(nginxAdded, minimumAddedMs),
    routerAddedP99Ms: routerAdded,
    nginxAddedP99Ms: nginxAdded,
    cpu: round.router.cpuMsPerThousand / round.nginx.cpuMsPerThousand,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The goal lines; returns whether every goal is met by the medians. */
export function printVerdicts(rounds: Round[], goals: Goals): boolean {
  const all = rounds.map(ratiosOf);
  const rps = median(all.map((r) => r.rps));
  const added = median(all.map((r) => r.addedP99));
  const routerAdded = median(all.map((r) => r.routerAddedP99Ms));
  const nginxAdded = median(all.map((r) => r.nginxAddedP99Ms));
  const cpu = median(all.map((r) => r.cpu));
  const errors = rounds.reduce(
    (sum, round) =>
      sum + round.router.errors + round.router.non2xx + round.paced.router.errors + round.paced.router.non2xx,
    0,
  );
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const perRound = (pick: (r: Ratios) => number): string => all.map((r) => pick(r).toFixed(2)).join(', ');
  console.log(
    `router rps / nginx rps       ${rps.toFixed(2)}  (goal >= ${goals.rpsRatio}: ${verdict(rps >= goals.rpsRatio)}; rounds ${perRound((r) => r.rps)})`,
  );
  console.log(
    `router added p99 / nginx's   ${added.toFixed(2)}  at equal load (router +${routerAdded.toFixed(2)} ms, nginx +${nginxAdded.toFixed(2)} ms; ` +
      `goal <= ${goals.addedP99Ratio}: ${verdict(added <= goals.addedP99Ratio)}; rounds ${perRound((r) => r.addedP99)})`,
  );
  console.log(
    `router errors + non-2xx      ${errors}  (goal ${goals.errors}: ${verdict(errors === goals.errors)})`,
  );
  console.log(
    `router CPU / nginx CPU       ${cpu.toFixed(2)}  per request (rounds ${perRound((r) => r.cpu)})`,
  );
  return rps >= goals.rpsRatio && added <= goals.addedP99Ratio && errors === goals.errors;
}
