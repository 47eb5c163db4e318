import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lookupUser, resolveRunAs } from './run-as.ts';

const passwd =
  'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';

test('a user is found by name in a passwd file', () => {
  assert.deepEqual(lookupUser('nobody', passwd), { user: 'nobody', uid: 65534, gid: 65534 });
  assert.equal(lookupUser('nobod', passwd), undefined);
});

test('a root server refuses to start apps when the configured user does not exist', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'helix-passwd-'));
  const file = join(dir, 'passwd');
  writeFileSync(file, passwd);
  if (process.getuid?.() === 0) {
    assert.deepEqual(resolveRunAs('nobody', file), { user: 'nobody', uid: 65534, gid: 65534 });
    assert.throws(
      () => resolveRunAs('helix-app', file),
      (error: Error & { code?: string }) => error.code === 'HLX_CONFIG',
    );
  } else {
    assert.equal(resolveRunAs('helix-app', file), undefined, 'an unprivileged server runs apps as itself');
  }
  await rm(dir, { recursive: true });
});
