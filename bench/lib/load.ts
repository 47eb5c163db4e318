// One load run: saturated with autocannon (closed loop), or paced evenly (open loop, paced-load.ts).
import autocannon from 'autocannon';
import { pacedLoad } from './paced-load.ts';
import { cpuSecondsOfTree } from './proc-cpu.ts';

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  host: string;
  /** Requests per second offered evenly (open loop); absent means as fast as answers come. */
  rate?: number;
}

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
  /** CPU of the process under test (and its children) per 1,000 requests, in ms. */
  cpuMsPerThousand: number;
  /** Every response time in ms, sorted: rounds are pooled from these. */
  times: number[];
}

/** Loads 127.0.0.1:port; `pid` is the process whose CPU is charged to the target. */
export async function measure(
  name: string,
  port: number,
  pid: number,
  options: LoadOptions,
): Promise<LoadFigures> {
  if (options.rate !== undefined) return measurePaced(name, port, pid, { ...options, rate: options.rate });
  const base = {
    url: `http://127.0.0.1:${port}/`,
    connections: options.connections,
    headers: { host: options.host },
  };
  if (options.warmupSeconds > 0) await autocannon({ ...base, duration: options.warmupSeconds });
  // autocannon's own histogram keeps whole milliseconds; keep every response time instead.
  const times: number[] = [];
  const cpuBefore = cpuSecondsOfTree(pid);
  const run = autocannon({ ...base, duration: options.durationSeconds });
  run.on('response', (_client, _status, _bytes, responseTimeMs) => {
    times.push(responseTimeMs);
  });
  const result = await run;
  const cpuSeconds = cpuSecondsOfTree(pid) - cpuBefore;
  return figures(name, {
    times,
    durationSeconds: result.duration,
    cpuSeconds,
    cpuRequests: times.length,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  });
}

async function measurePaced(
  name: string,
  port: number,
  pid: number,
  options: LoadOptions & { rate: number },
): Promise<LoadFigures> {
  const cpuBefore = cpuSecondsOfTree(pid);
  const result = await pacedLoad({
    port,
    host: options.host,
    connections: options.connections,
    rate: options.rate,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
  });
  return figures(name, {
    times: result.times,
    durationSeconds: options.durationSeconds,
    cpuSeconds: cpuSecondsOfTree(pid) - cpuBefore,
    // The warm-up ran on the same connections while CPU was counted.
    cpuRequests: result.answered,
    errors: result.errors,
    non2xx: result.non2xx,
  });
}

interface Run {
  times: number[];
  durationSeconds: number;
  cpuSeconds: number;
  /** Responses the CPU time was spent on. */
  cpuRequests: number;
  errors: number;
  non2xx: number;
}

function figures(name: string, run: Run): LoadFigures {
  const { times, durationSeconds, cpuSeconds, cpuRequests, errors, non2xx } = run;
  times.sort((a, b) => a - b);
  return {
    name,
    requestsPerSecond: times.length / durationSeconds,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    errors,
    non2xx,
    total: times.length,
    cpuMsPerThousand: (cpuSeconds * 1e6) / Math.max(cpuRequests, 1),
    times,
  };
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

export function formatTable(rows: LoadFigures[]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'requests', 'CPU ms/1k req'];
  const lines = rows.map((row) => [
    row.name,
    row.requestsPerSecond.toFixed(0),
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    String(row.errors),
    String(row.non2xx),
    String(row.total),
    row.cpuMsPerThousand.toFixed(1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
