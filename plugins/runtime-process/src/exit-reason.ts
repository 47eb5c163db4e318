import { formatDelay } from './backoff.ts';

/** "exited with code 1 after 0.2 s", "was killed: out of memory (limit 256 MB) after 3 s". */
export function describeExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  uptimeMs: number,
  outOfMemoryLimitMb?: number,
): string {
  const after = `after ${formatDelay(uptimeMs)}`;
  if (outOfMemoryLimitMb !== undefined) {
    return `was killed: out of memory (limit ${outOfMemoryLimitMb} MB) ${after}`;
  }
  if (signal) return `was killed by ${signal} ${after}`;
  return `exited with code ${code} ${after}`;
}

/** Why a process could not even start, with the fix for the usual cause. */
export function describeSpawnError(command: string, error: NodeJS.ErrnoException, user?: string): string {
  const code = error.code ?? error.message;
  if (code === 'ENOENT') return `could not start ${command}: it or the app directory does not exist (ENOENT)`;
  if (code === 'EACCES' && user) {
    return `could not start ${command}: permission denied; the app directory and the command must be readable by the user "${user}"`;
  }
  return `could not start ${command}: ${code}`;
}
