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
  return figures(name, times, result.duration, cpuSeconds, result.errors + result.timeouts, result.non2xx);
}

async function measurePaced(
  name: string,
  port: number,
  pid: number,
  options: LoadOptions & { rate: number },
): Promise<LoadFigures> {
  const paced = { port, host: options.host, connections: options.connections, rate: options.rate };
  const cpuBefore = cpuSecondsOfTree(pid);
  const result = await pacedLoad({
    ...paced,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
  });
  const cpuSeconds = cpuSecondsOfTree(pid) - cpuBefore;
  const figuresOfRun = figures(
    name,
    result.times,
    options.durationSeconds,
    cpuSeconds,
    result.errors,
    result.non2xx,
  );
  return { ...figuresOfRun, cpuMsPerThousand: (cpuSeconds * 1e6) / Math.max(result.answered, 1) };
}

function figures(
  name: string,
  times: number[],
  durationSeconds: number,
  cpuSeconds: number,
  errors: number,
  non2xx: number,
): LoadFigures {
  times.sort((a, b) => a - b);
  return {
    name,
    requestsPerSecond: times.length / durationSeconds,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    errors,
    non2xx,
    total: times.length,
    cpuMsPerThousand: (cpuSeconds * 1e6) / Math.max(times.length, 1),
  };
}

function percentile(sorted: number[], fraction: number): number {
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
