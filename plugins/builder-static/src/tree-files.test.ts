import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyTree } from './copy-tree.ts';
import { treeDigest } from './tree-digest.ts';
import { makeWorldReadable } from './world-readable.ts';

let root: string;

async function put(base: string, path: string, content = path): Promise<void> {
  await mkdir(dirname(join(base, path)), { recursive: true });
  await writeFile(join(base, path), content);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'helix-tree-files-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('treeDigest', () => {
  test('depends on paths and contents, not on timestamps or modes', async () => {
    const a = join(root, 'digest-a');
    await put(a, 'index.html', 'hello');
    await put(a, 'assets/app.js', 'code');
    const first = await treeDigest(a);
    await utimes(join(a, 'index.html'), new Date(0), new Date(0));
    await chmod(join(a, 'index.html'), 0o600);
    assert.equal(await treeDigest(a), first);
    await put(a, 'index.html', 'hellO');
    assert.notEqual(await treeDigest(a), first);
    await put(a, 'index.html', 'hello');
    await put(a, 'assets/app2.js', 'code');
    assert.notEqual(await treeDigest(a), first);
  });

  test('skips the content of named folders but keeps the extra facts', async () => {
    const b = join(root, 'digest-b');
    await put(b, 'server.js', 'x');
    const bare = await treeDigest(b, { skipDirs: new Set(['node_modules']) });
    await put(b, 'node_modules/dep/index.js', 'dep');
    assert.equal(await treeDigest(b, { skipDirs: new Set(['node_modules']) }), bare);
    const withLock = await treeDigest(b, { skipDirs: new Set(['node_modules']), extra: { lockfile: 'abc' } });
    assert.notEqual(withLock, bare);
    assert.match(withLock, /^[0-9a-f]{64}$/);
  });
});

describe('copyTree', () => {
  test('copies folders, files with modes and symlinks verbatim, skipping names at the root', async () => {
    const from = join(root, 'copy-from');
    await put(from, 'a/b/c.txt', 'c');
    await put(from, 'run.sh', '#!/bin/sh\n');
    await chmod(join(from, 'run.sh'), 0o755);
    await put(from, 'node_modules/x.js');
    await put(from, 'lib/node_modules/kept.js');
    await symlink('a/b/c.txt', join(from, 'link'));
    const to = join(root, 'copy-to');
    assert.equal(await copyTree(from, to, { skipAtRoot: new Set(['node_modules']) }), 4);
    assert.equal(await readlink(join(to, 'link')), 'a/b/c.txt');
    assert.equal((await stat(join(to, 'run.sh'))).mode & 0o777, 0o755);
    await assert.rejects(stat(join(to, 'node_modules')), { code: 'ENOENT' });
    assert.ok((await stat(join(to, 'lib/node_modules/kept.js'))).isFile());
  });

  test('hard links share the file with the original', async () => {
    const from = join(root, 'link-from');
    await put(from, 'dep/index.js', 'dep');
    const to = join(root, 'link-to');
    await copyTree(from, to, { hardLink: true });
    const [original, linked] = await Promise.all([
      stat(join(from, 'dep/index.js')),
      stat(join(to, 'dep/index.js')),
    ]);
    assert.equal(linked.ino, original.ino);
    assert.equal(linked.nlink, 2);
  });
});

test('makeWorldReadable adds read to every file and enter to folders and executables only', async () => {
  const dir = join(root, 'perm');
  await put(dir, 'private/data.txt');
  await put(dir, 'bin/tool');
  await chmod(join(dir, 'private/data.txt'), 0o600);
  await chmod(join(dir, 'bin/tool'), 0o700);
  await chmod(join(dir, 'private'), 0o700);
  await chmod(dir, 0o700);
  await makeWorldReadable(dir);
  const mode = async (path: string): Promise<number> => (await stat(join(dir, path))).mode & 0o777;
  assert.equal(await mode('.'), 0o755);
  assert.equal(await mode('private'), 0o755);
  assert.equal(await mode('private/data.txt'), 0o644);
  assert.equal(await mode('bin/tool'), 0o755);
});
