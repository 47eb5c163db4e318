import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deploymentKey, RecordStore } from './records.ts';

test('deployment keys are safe file names, distinct for ids that read alike', () => {
  assert.match(deploymentKey('dpl_01ABC'), /^dpl_01ABC-[0-9a-f]{12}$/);
  assert.match(deploymentKey('../../etc'), /^______etc-[0-9a-f]{12}$/);
  assert.notEqual(deploymentKey('a/b'), deploymentKey('a_b'));
});

test('records round-trip, and unreadable files are skipped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'helix-records-'));
  const store = new RecordStore(join(dir, 'state'));
  store.write('one', { deploymentId: 'dpl-1', cgroups: ['/x'], process: { pid: 12, startTime: '345' } });
  writeFileSync(join(dir, 'state', 'torn.json'), '{"deploymentId":');
  assert.deepEqual(store.list(), [
    {
      key: 'one',
      record: { deploymentId: 'dpl-1', cgroups: ['/x'], process: { pid: 12, startTime: '345' } },
    },
  ]);
  store.remove('one');
  store.remove('one');
  assert.deepEqual(
    store.list().map((entry) => entry.key),
    [],
  );
  await rm(dir, { recursive: true });
});
