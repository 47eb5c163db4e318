import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collectFiles } from './collect.ts';
import { isSymlinkEntry, manifestDigest } from './manifest.ts';
import { makeTempDir } from './testing.ts';

let root: string;

async function put(path: string, content = path): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

before(async () => {
  root = await makeTempDir('collect');
  await put('.gitignore', 'dist/\n*.log\n!keep.log\n');
  await put('.helixignore', 'secrets.txt\nsub/generated/\n');
  await put('index.js', 'console.log("hi")\n');
  await put('run.sh', '#!/bin/sh\n');
  await chmod(join(root, 'run.sh'), 0o755);
  for (const path of [
    'app.log',
    'keep.log',
    'dist/out.js',
    'secrets.txt',
    'node_modules/x/index.js',
    'sub/node_modules/y.js',
    '.git/HEAD',
    'sub/.git',
    '.helix/state.json',
    'sub/a.tmp',
    'sub/important.log',
    'sub/other.log',
    'sub/generated/x.js',
    'other/a.tmp',
    'routes/+page.svelte',
    'pages/[slug].tsx',
    'café/ñ.txt',
    'with space/a b.txt',
  ]) {
    await put(path);
  }
  await put('sub/.gitignore', '*.tmp\n!important.log\n');
  await mkdir(join(root, 'links'));
  await symlink('../index.js', join(root, 'links/inside'));
  await symlink(join(root, 'index.js'), join(root, 'links/absolute-inside'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('collectFiles', () => {
  test('honours .gitignore (root and nested) and .helixignore, never node_modules, .git or .helix', async () => {
    const files = await collectFiles(root);
    assert.deepEqual(
      files.map((file) => file.path),
      [
        '.gitignore',
        '.helixignore',
        'café/ñ.txt',
        'index.js',
        'keep.log',
        'links/absolute-inside',
        'links/inside',
        'other/a.tmp',
        'pages/[slug].tsx',
        'routes/+page.svelte',
        'run.sh',
        'sub/.gitignore',
        'sub/important.log',
        'with space/a b.txt',
      ],
    );
  });

  test('records size, exec bit and sha256 of each file, and links as relative links', async () => {
    const files = await collectFiles(root);
    const byPath = new Map(files.map((file) => [file.path, file]));
    const content = 'console.log("hi")\n';
    assert.deepEqual(byPath.get('index.js'), {
      path: 'index.js',
      size: content.length,
      mode: 0o644,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    assert.equal((byPath.get('run.sh') as { mode: number }).mode, 0o755);
    assert.deepEqual(byPath.get('links/inside'), { path: 'links/inside', symlinkTarget: '../index.js' });
    assert.deepEqual(byPath.get('links/absolute-inside'), {
      path: 'links/absolute-inside',
      symlinkTarget: '../index.js',
    });
  });

  test('extra ignore patterns apply like .helixignore', async () => {
    const files = await collectFiles(root, { ignore: ['links/', '*.svelte'] });
    assert.equal(
      files.some((file) => isSymlinkEntry(file) || file.path.endsWith('.svelte')),
      false,
    );
  });

  test('the manifest digest is stable and changes when a mode changes', async () => {
    const first = manifestDigest(await collectFiles(root));
    assert.equal(manifestDigest(await collectFiles(root)), first);
    await chmod(join(root, 'index.js'), 0o755);
    try {
      assert.notEqual(manifestDigest(await collectFiles(root)), first);
    } finally {
      await chmod(join(root, 'index.js'), 0o644);
    }
  });

  test('fails before upload when the folder passes the limits', async () => {
    await assert.rejects(collectFiles(root, { limits: { maxBytes: 1024 * 1024, maxFiles: 3 } }), {
      code: 'HLX_ARCHIVE_TOO_MANY_FILES',
    });
    await assert.rejects(collectFiles(root, { limits: { maxBytes: 20, maxFiles: 100 } }), {
      code: 'HLX_ARCHIVE_TOO_LARGE',
    });
  });

  test('refuses a symlink that points outside the folder, unless it is ignored', async () => {
    const outside = await makeTempDir('collect-outside');
    try {
      await writeFile(join(outside, 'app.js'), 'x');
      await symlink('/etc/passwd', join(outside, 'passwd'));
      await assert.rejects(collectFiles(outside), { code: 'HLX_SOURCE_SYMLINK_OUTSIDE' });
      await writeFile(join(outside, '.helixignore'), 'passwd\n');
      assert.deepEqual(
        (await collectFiles(outside)).map((file) => file.path),
        ['.helixignore', 'app.js'],
      );
      await rm(join(outside, '.helixignore'));
      await rm(join(outside, 'passwd'));
      await mkdir(join(outside, 'sub'));
      await symlink('../../elsewhere', join(outside, 'sub/up'));
      await assert.rejects(collectFiles(outside), { code: 'HLX_SOURCE_SYMLINK_OUTSIDE' });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('a path that is not a folder is HLX_SOURCE_DIR_INVALID', async () => {
    await assert.rejects(collectFiles(join(root, 'index.js')), { code: 'HLX_SOURCE_DIR_INVALID' });
    await assert.rejects(collectFiles(join(root, 'missing')), { code: 'HLX_SOURCE_DIR_INVALID' });
  });
});
