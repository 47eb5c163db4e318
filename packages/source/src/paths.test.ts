import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ancestorsOf, isCanonicalPath, validateRelativePath } from './paths.ts';
import { TreeGuard } from './tree-guard.ts';

const unsafe = { code: 'HLX_ARCHIVE_UNSAFE_PATH' };

describe('validateRelativePath', () => {
  test('returns the canonical posix form of a safe path', () => {
    assert.equal(validateRelativePath('./src//app/./page.tsx'), 'src/app/page.tsx');
    assert.equal(validateRelativePath('dir/'), 'dir');
    for (const name of [
      '+page.svelte',
      '[slug].tsx',
      'café/ñ.txt',
      'a b/c d.txt',
      '...',
      '..x',
      'x..',
      'a\\b.txt',
    ]) {
      assert.equal(validateRelativePath(name), name);
    }
  });

  test('refuses traversal, absolute and drive paths, NUL, empty and root', () => {
    const bad = [
      '',
      '.',
      './',
      '..',
      '../x',
      'a/../../x',
      'a/..',
      '..\\x',
      'a\\..\\..\\x',
      '/etc/passwd',
      '\\\\server\\share',
      'C:\\x',
      'c:x',
      'a\0b',
    ];
    for (const path of bad) assert.throws(() => validateRelativePath(path), unsafe, JSON.stringify(path));
  });

  test('refuses names longer than the file system allows', () => {
    assert.throws(() => validateRelativePath('n'.repeat(256)), unsafe);
    assert.throws(() => validateRelativePath(`${'d/'.repeat(2100)}f`), unsafe);
    assert.equal(validateRelativePath('n'.repeat(255)), 'n'.repeat(255));
  });

  test('canonical means one spelling per file', () => {
    assert.equal(isCanonicalPath('a/b'), true);
    assert.equal(isCanonicalPath('./a/b'), false);
    assert.equal(isCanonicalPath('a//b'), false);
    assert.deepEqual(ancestorsOf('a/b/c'), ['a', 'a/b']);
  });
});

describe('TreeGuard', () => {
  test('accepts links that stay inside, including through other links', () => {
    const guard = new TreeGuard();
    guard.add('lib/real/index.js', 'file');
    guard.add('lib/current', 'symlink', 'real');
    guard.add('main.js', 'symlink', 'lib/current/index.js');
    guard.add('up', 'symlink', 'lib/current/../..');
    guard.checkLinks();
    assert.deepEqual(
      guard.links().map((link) => link.path),
      ['lib/current', 'main.js', 'up'],
    );
  });

  test('refuses a link that leaves the root once every link is known', () => {
    const guard = new TreeGuard();
    guard.add('t', 'symlink', 'a/s/../x');
    guard.add('a/s', 'symlink', '..');
    assert.throws(() => guard.checkLinks(), unsafe);
  });

  test('refuses link loops, absolute or backslash targets, and entries below files or links', () => {
    const loop = new TreeGuard();
    loop.add('a', 'symlink', 'b');
    loop.add('b', 'symlink', 'a');
    assert.throws(() => loop.checkLinks(), /loop/);
    const guard = new TreeGuard();
    assert.throws(() => guard.add('x', 'symlink', '/etc'), unsafe);
    assert.throws(() => guard.add('x', 'symlink', '..\\..\\etc'), unsafe);
    assert.throws(() => guard.add('x', 'symlink', ''), unsafe);
    guard.add('file', 'file');
    assert.throws(() => guard.add('file/child', 'file'), unsafe);
    guard.add('link', 'symlink', 'dir');
    assert.throws(() => guard.add('link/child', 'file'), unsafe);
    assert.throws(() => guard.add('link', 'directory'), unsafe);
  });

  test('a folder may be named more than once, a file may not; a file cannot replace a folder', () => {
    const guard = new TreeGuard();
    guard.add('dir', 'directory');
    guard.add('dir/a.txt', 'file');
    guard.add('dir', 'directory');
    assert.throws(() => guard.add('dir/a.txt', 'file'), unsafe);
    assert.throws(() => guard.add('dir', 'file'), unsafe);
    assert.throws(() => guard.add('dir', 'symlink', 'elsewhere'), unsafe);
  });
});
