import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';

/** What a restarted server needs to stop a deployment's processes left behind. */
export interface ProcessRecord {
  deploymentId: string;
  /** Cgroup directories made for the deployment (removed when empty). */
  cgroups: string[];
  /** The running process group leader, while one runs. */
  process?: { pid: number; startTime: string };
}

/** A file and directory name for a deployment id of any characters: readable part plus hash. */
export function deploymentKey(deploymentId: string): string {
  const readable = deploymentId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const hash = createHash('sha256').update(deploymentId).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}

/** One JSON file per deployment in the state directory, written atomically. */
export class RecordStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  ensure(): void {
    try {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new HelixError('HLX_CONFIG', `runtime-process cannot create its state directory ${this.#dir}.`, {
        cause: (error as Error).message,
      });
    }
  }

  write(key: string, record: ProcessRecord): void {
    this.ensure();
    const file = join(this.#dir, `${key}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(record), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  remove(key: string): void {
    rmSync(join(this.#dir, `${key}.json`), { force: true });
  }

  /** Every readable record; a torn or foreign file is skipped rather than stopping cleanup. */
  list(): { key: string; record: ProcessRecord }[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch {
      return [];
    }
    const records: { key: string; record: ProcessRecord }[] = [];
    for (const name of names.filter((file) => file.endsWith('.json'))) {
      try {
        const record = JSON.parse(readFileSync(join(this.#dir, name), 'utf8')) as ProcessRecord;
        if (typeof record.deploymentId === 'string' && Array.isArray(record.cgroups)) {
          records.push({ key: name.slice(0, -'.json'.length), record });
        }
      } catch {
        // Unreadable: not ours to interpret.
      }
    }
    return records;
  }
}
