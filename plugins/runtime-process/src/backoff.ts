import type { RestartPolicy } from './options.ts';

/**
 * How many quick crashes in a row there have been, counting this one: a process that
 * stayed up for `stableAfterMs` starts the count over.
 */
export function quickCrashCount(policy: RestartPolicy, previous: number, uptimeMs: number): number {
  return uptimeMs >= policy.stableAfterMs ? 1 : previous + 1;
}

/** Delay before restarting after the n-th quick crash: doubling from the initial delay, capped. */
export function restartDelay(policy: RestartPolicy, quickCrashes: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, quickCrashes - 1));
}

/** "500 ms", "2 s", "1.5 s": delays as users read them in status messages. */
export function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
