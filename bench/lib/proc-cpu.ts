// CPU time of a process and its children from /proc (Linux), to compare proxies per request
// independently of how busy the rest of the machine is.
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node supports

interface ProcStat {
  pid: number;
  ppid: number;
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid: Number(fields[1]), cpuSeconds: (utime + stime) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** The process and its direct children (nginx: master and worker). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && readStat(Number(entry))?.ppid === pid) pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds (user + system) used so far by the process and its direct children. */
export function cpuSecondsOfTree(pid: number): number {
  let total = 0;
  for (const member of processTree(pid)) total += readStat(member)?.cpuSeconds ?? 0;
  return total;
}
