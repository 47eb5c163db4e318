import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { appNode, waitForStatus } from '@helixstack/testkit';
import { appInfo, type Harness, harness, logText } from './testing.ts';

// Where the OS allows a cgroup per deployment: root, with the v1 memory and pids controllers.
const cgroupsWritable =
  process.getuid?.() === 0 &&
  existsSync('/sys/fs/cgroup/memory/cgroup.procs') &&
  existsSync('/sys/fs/cgroup/pids/cgroup.procs');

function cgroupDir(table: string | null, controller: string): string {
  const line = table?.split('\n').find((entry) => entry.split(':')[1]?.split(',').includes(controller));
  assert.ok(line, `the app is in a ${controller} cgroup`);
  return `/sys/fs/cgroup/${controller}${line.split(':').slice(2).join(':')}`;
}

function maxProcesses(pid: number): string | undefined {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('Max processes'));
  return line?.split(/\s{2,}/)[1];
}

const resources = { memoryMb: 256, maxProcesses: 64 };
let h: Harness;
let noCgroups: Harness;

before(async () => {
  h = await harness();
  noCgroups = await harness({ cgroups: false });
});

after(async () => {
  await h.dispose();
  await noCgroups.dispose();
});

test('memory and process limits go into a cgroup per deployment where the OS allows it', async () => {
  const { runtime, ctx } = h;
  const spec = h.spec('dpl-limits', {}, { resources });
  const handle = await runtime.deploy(ctx, { artifact: await h.artifact(), spec });
  await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
  const info = await appInfo(runtime, ctx, handle);
  assert.match(info.env.NODE_OPTIONS ?? '', /--max-old-space-size=256/);
  const log = (await logText(runtime, ctx, handle)).join('\n');
  if (cgroupsWritable) {
    const memory = cgroupDir(info.cgroups, 'memory');
    const pids = cgroupDir(info.cgroups, 'pids');
    assert.match(memory, /\/helixstack-[0-9a-f]{8}\/dpl-limits-[0-9a-f]{12}$/);
    assert.equal(readFileSync(`${memory}/memory.limit_in_bytes`, 'utf8').trim(), String(256 * 1024 * 1024));
    assert.equal(readFileSync(`${pids}/pids.max`, 'utf8').trim(), '64');
    assert.match(log, /limits: memory 256 MB \(cgroup\), processes and threads 64 \(cgroup\)/);
    await runtime.destroy(ctx, handle);
    assert.equal(existsSync(memory), false, 'the memory cgroup is removed with the deployment');
    assert.equal(existsSync(pids), false, 'the pids cgroup is removed with the deployment');
  } else {
    assert.equal(maxProcesses(info.pid), '64');
    assert.match(log, /node heap 256 MB \(NODE_OPTIONS only\)/);
    await runtime.destroy(ctx, handle);
  }
});

test('without cgroups the process limit is an rlimit set by prlimit and memory a node heap limit', async () => {
  const { runtime, ctx } = noCgroups;
  const spec = noCgroups.spec('dpl-rlimits', {}, { resources });
  const handle = await runtime.deploy(ctx, { artifact: await noCgroups.artifact(), spec });
  await waitForStatus(runtime, ctx, handle, (s) => s.healthy);
  const info = await appInfo(runtime, ctx, handle);
  assert.equal(maxProcesses(info.pid), '64');
  assert.match(info.env.NODE_OPTIONS ?? '', /--max-old-space-size=256/);
  assert.doesNotMatch(info.cgroups ?? '', /helixstack/);
  const log = (await logText(runtime, ctx, handle)).join('\n');
  assert.match(log, /node heap 256 MB \(NODE_OPTIONS only\), processes and threads 64 \(rlimit/);
  await runtime.destroy(ctx, handle);
});

test('an app over its cgroup memory limit is killed and its status says out of memory', async () => {
  const { runtime, ctx } = h;
  // Buffers live outside the V8 heap, so only the cgroup can stop them.
  const grow = 'const kept = []; setInterval(() => kept.push(Buffer.alloc(16 << 20, 1)), 20);';
  const artifact = { ...(await h.artifact()), start: { command: [await appNode(), '-e', grow] } };
  const spec = h.spec('dpl-hungry', {}, { resources: { memoryMb: 96 } });
  if (!cgroupsWritable) {
    // Nothing here would stop the allocation; check only that the limit is announced as partial.
    const handle = await runtime.deploy(ctx, { artifact: await h.artifact(), spec });
    assert.match((await logText(runtime, ctx, handle)).join('\n'), /NODE_OPTIONS only/);
    await runtime.destroy(ctx, handle);
    return;
  }
  const handle = await runtime.deploy(ctx, { artifact, spec });
  const status = await waitForStatus(runtime, ctx, handle, (s) => /out of memory/.test(s.message ?? ''));
  assert.match(status.message ?? '', /was killed: out of memory \(limit 96 MB\)/);
  await runtime.destroy(ctx, handle);
});
