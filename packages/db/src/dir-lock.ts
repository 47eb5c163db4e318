import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';

interface LockOwner {
  pid: number;
  started: string | null;
}

/** The kernel's start time of a process tells a live owner from a reused pid. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = processStart(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/**
 * PGlite does not lock its directory, and two writers would corrupt it, so the server
 * holds `<dataDir>/server.lock` while it runs. A lock left by a killed process is taken
 * over; a lock of a live process refuses the start.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  const path = join(dataDir, 'server.lock');
  const me: LockOwner = { pid: process.pid, started: processStart(process.pid) };
  // Written aside and linked into place, so the lock file is never seen half-written.
  const pending = `${path}.${process.pid}`;
  writeFileSync(pending, JSON.stringify(me), { mode: 0o600 });
  try {
    return takeLock(path, pending, me, dataDir);
  } finally {
    rmSync(pending, { force: true });
  }
}

function takeLock(path: string, pending: string, me: LockOwner, dataDir: string): { release(): void } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(pending, path);
      return {
        release() {
          if (readOwner(path)?.pid === me.pid) unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    if (owner && isAlive(owner)) {
      throw new HelixError(
        'HLX_DATA_DIR_LOCKED',
        `Another HelixStack server (pid ${owner.pid}) is using ${dataDir}; stop it or choose another --data-dir.`,
        { pid: owner.pid },
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // Another starter removed the stale lock first; the next attempt decides.
    }
  }
  throw new HelixError('HLX_DATA_DIR_LOCKED', `Could not take the lock ${path}.`);
}
