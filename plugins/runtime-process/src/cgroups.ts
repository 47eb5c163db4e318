import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CgroupLimits {
  memoryMb?: number;
  maxProcesses?: number;
}

/** The cgroups (v1) of one deployment: which limits they enforce, and how to use them. */
export interface DeploymentCgroups {
  dirs: string[];
  /** The memory limit is enforced by the kernel. */
  memory: boolean;
  /** The process (task) limit is enforced by the kernel. */
  pids: boolean;
  /** Moves a process into every cgroup; false when the kernel refused. */
  join(pid: number): boolean;
  /** Times the kernel killed a process of the deployment for exceeding the memory limit. */
  oomKills(): number;
}

const controllers = ['memory', 'pids'] as const;
type Controller = (typeof controllers)[number];

/** This server's own cgroup path for a v1 controller: a deployment's cgroup goes under it. */
function ownCgroupPath(controller: Controller): string | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n')) {
    const [, names, ...path] = line.split(':');
    if (names?.split(',').includes(controller)) return path.join(':');
  }
  return undefined;
}

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

/** Pids in any of the cgroup directories (empty when they are gone). */
export function cgroupMembers(dirs: readonly string[]): number[] {
  const pids = new Set<number>();
  for (const dir of dirs) {
    try {
      for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
        if (pid) pids.add(Number(pid));
      }
    } catch {
      // Already removed.
    }
  }
  return [...pids];
}

/** Removes cgroup directories, waiting a little for exiting tasks to leave (EBUSY). */
export async function removeCgroups(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 50 && existsSync(dir); attempt += 1) {
      try {
        rmdirSync(dir);
      } catch {
        await sleep(100);
      }
    }
  }
}

/** Removes the directories holding these cgroups if nothing else is left in them. */
export function removeEmptyParents(dirs: readonly string[]): void {
  for (const parent of new Set(dirs.map((dir) => dirname(dir)))) {
    try {
      rmdirSync(parent);
    } catch {
      // Still holds cgroups of running deployments, or already gone.
    }
  }
}

/**
 * Makes a cgroup per deployment under this server's own cgroup of the memory and pids
 * controllers, when they are mounted (v1) and writable, which in practice means root.
 */
export class CgroupManager {
  readonly #root: string;
  readonly #enabled: boolean;
  readonly #parentName: string;
  #bases: Partial<Record<Controller, string>> | undefined;

  /** `parentName` keeps the cgroups of two servers on one machine apart. */
  constructor(root: string, enabled: boolean, parentName: string) {
    this.#root = root;
    this.#enabled = enabled;
    this.#parentName = parentName;
  }

  /** The parent directory per usable controller, created on first use. */
  #parents(): Partial<Record<Controller, string>> {
    if (this.#bases) return this.#bases;
    const bases: Partial<Record<Controller, string>> = {};
    for (const controller of this.#enabled ? controllers : []) {
      const own = ownCgroupPath(controller);
      const mount = join(this.#root, controller);
      if (own === undefined || !existsSync(join(mount, 'cgroup.procs'))) continue;
      const base = join(mount, own, this.#parentName);
      try {
        mkdirSync(base, { recursive: true });
        bases[controller] = base;
      } catch {
        // Not writable: limits fall back to rlimits and NODE_OPTIONS.
      }
    }
    this.#bases = bases;
    return bases;
  }

  /** Removes the parent directories when no deployment cgroup is left in them (server stop). */
  release(): void {
    for (const base of Object.values(this.#bases ?? {})) {
      try {
        rmdirSync(base);
      } catch {
        // Not empty (a deployment of another runtime on the same state) or already gone.
      }
    }
    this.#bases = undefined;
  }

  /** The directories a deployment's cgroups get, known before they exist so they can be recorded. */
  plan(key: string): string[] {
    return Object.values(this.#parents()).map((base) => join(base, key));
  }

  create(key: string, limits: CgroupLimits): DeploymentCgroups | undefined {
    const parents = this.#parents();
    const made: Partial<Record<Controller, string>> = {};
    for (const controller of controllers) {
      const base = parents[controller];
      if (base === undefined) continue;
      try {
        mkdirSync(join(base, key), { recursive: true });
        made[controller] = join(base, key);
      } catch {
        // Leave this controller out.
      }
    }
    const dirs = Object.values(made);
    if (dirs.length === 0) return undefined;
    let memory = false;
    if (made.memory && limits.memoryMb !== undefined) {
      const bytes = String(limits.memoryMb * 1024 * 1024);
      memory = tryWrite(join(made.memory, 'memory.limit_in_bytes'), bytes);
      // Swap counts too where the kernel accounts it, so the limit cannot be dodged by swapping.
      if (memory) tryWrite(join(made.memory, 'memory.memsw.limit_in_bytes'), bytes);
    }
    const pids =
      made.pids !== undefined &&
      limits.maxProcesses !== undefined &&
      tryWrite(join(made.pids, 'pids.max'), String(limits.maxProcesses));
    const memoryDir = made.memory;
    return {
      dirs,
      memory,
      pids,
      join: (pid) => dirs.every((dir) => tryWrite(join(dir, 'cgroup.procs'), String(pid))),
      oomKills: () => {
        if (!memoryDir) return 0;
        try {
          const control = readFileSync(join(memoryDir, 'memory.oom_control'), 'utf8');
          return Number(/^oom_kill (\d+)$/m.exec(control)?.[1] ?? 0);
        } catch {
          return 0;
        }
      },
    };
  }
}
