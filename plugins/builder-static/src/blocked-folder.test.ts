import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockedFolder } from './blocked-folder.ts';

test('the first folder others cannot pass through is named', () => {
  const root = mkdtempSync(join(tmpdir(), 'helix-access-'));
  try {
    const inner = join(root, 'a', 'b');
    mkdirSync(inner, { recursive: true, mode: 0o755 });
    chmodSync(root, 0o755);
    assert.equal(blockedFolder(join(inner, 'file')), undefined);
    chmodSync(join(root, 'a'), 0o700);
    assert.equal(blockedFolder(join(inner, 'file')), join(root, 'a'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
