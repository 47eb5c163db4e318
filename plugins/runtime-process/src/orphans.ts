import { setTimeout as sleep } from 'node:timers/promises';
import type { PluginLogger } from '@helixstack/sdk';
import { cgroupMembers, removeCgroups, removeEmptyParents } from './cgroups.ts';
import { groupMembers, isSameProcess, signalGroup, signalProcess } from './proc.ts';
import type { RecordStore } from './records.ts';

async function untilGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

/** SIGTERM to a process group, SIGKILL to what is left after the grace period. */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await untilGroupGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await untilGroupGone(pgid, 5000);
}

/**
 * Stops every process a previous server recorded and that still runs, and removes its
 * cgroups and record. A recorded pid is only signalled when its start time still matches,
 * so a pid the kernel gave to an unrelated process since is left alone.
 */
export async function stopOrphans(
  records: RecordStore,
  graceMs: number,
  logger: PluginLogger,
  supervised: (deploymentId: string) => boolean,
): Promise<number> {
  const left = records.list().filter(({ record }) => !supervised(record.deploymentId));
  let stopped = 0;
  await Promise.all(
    left.map(async ({ key, record }) => {
      const leader = record.process;
      if (leader && isSameProcess(leader.pid, leader.startTime)) {
        logger.info('Stopping an app process left by a previous server', {
          deploymentId: record.deploymentId,
          pid: leader.pid,
        });
        stopped += 1;
        await stopGroup(leader.pid, graceMs);
      }
      for (const pid of cgroupMembers(record.cgroups)) signalProcess(pid, 'SIGKILL');
      await removeCgroups(record.cgroups);
      records.remove(key);
    }),
  );
  // Cgroup parents of the previous server, unless deployments of this one already use them.
  removeEmptyParents(left.flatMap(({ record }) => record.cgroups));
  return stopped;
}
