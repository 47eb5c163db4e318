// Puts the proxy under test on a core of its own, away from the load generator and the
// upstream, so that each proxy is measured with the same single core (nginx has 1 worker).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { processTree } from './proc-cpu.ts';

export interface Placement {
  generatorCpu: number;
  proxyCpu: number;
}

/** A placement when the machine has 2+ CPUs and `taskset` (util-linux), else undefined. */
export function plannedPlacement(): Placement | undefined {
  if (availableParallelism() < 2) return undefined;
  if (spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status !== 0) return undefined;
  return { generatorCpu: 0, proxyCpu: 1 };
}

/** Pins every thread of the process and of its direct children to one CPU. */
export function pin(pid: number, cpu: number): void {
  for (const member of processTree(pid)) {
    const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(member)], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`taskset could not pin process ${member} to CPU ${cpu}`);
  }
}
