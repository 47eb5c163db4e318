import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultUploadLimits, uploadLimitsFromEnv } from './limits.ts';
import { blobDigests, manifestDigest, type SourceFile, sha256Hex, validateManifest } from './manifest.ts';

const a = sha256Hex('a');
const b = sha256Hex('b');
const files: SourceFile[] = [
  { path: 'src/index.js', size: 1, mode: 0o644, sha256: a },
  { path: 'bin/run', size: 1, mode: 0o755, sha256: b },
  { path: 'copy.js', size: 1, mode: 0o644, sha256: a },
  { path: 'main', symlinkTarget: 'src/index.js' },
];

describe('manifestDigest', () => {
  test('does not depend on the order of entries', () => {
    assert.equal(manifestDigest(files), manifestDigest([...files].reverse()));
    assert.match(manifestDigest(files), /^[0-9a-f]{64}$/);
  });

  test('changes with a path, a mode, a content or a link target', () => {
    const base = manifestDigest(files);
    const variants: SourceFile[][] = [
      files.map((file) => (file.path === 'copy.js' ? { ...file, path: 'copy2.js' } : file)),
      files.map((file) => (file.path === 'bin/run' ? { ...file, mode: 0o644 } : file)),
      files.map((file) => (file.path === 'copy.js' ? { ...file, sha256: b } : file)),
      files.map((file) => (file.path === 'main' ? { path: 'main', symlinkTarget: 'copy.js' } : file)),
    ];
    for (const variant of variants) assert.notEqual(manifestDigest(variant), base);
  });

  test('blobDigests lists each content once', () => {
    assert.deepEqual(blobDigests(files), [a, b]);
  });
});

describe('validateManifest', () => {
  const limits = { maxBytes: 100, maxFiles: 10 };

  test('returns a valid manifest unchanged', () => {
    assert.deepEqual(validateManifest(files, limits), files);
  });

  test('refuses malformed entries with HLX_MANIFEST_INVALID', () => {
    const bad: unknown[] = [
      'not an array',
      [null],
      [{ path: 'a', size: 1, mode: 0o644 }],
      [{ path: 'a', size: -1, mode: 0o644, sha256: a }],
      [{ path: 'a', size: 1.5, mode: 0o644, sha256: a }],
      [{ path: 'a', size: 1, mode: 0o777, sha256: a }],
      [{ path: 'a', size: 1, mode: 0o644, sha256: a.toUpperCase() }],
      [{ path: 'a', size: 1, mode: 0o644, sha256: a, extra: true }],
      [{ path: './a', size: 1, mode: 0o644, sha256: a }],
      [{ path: 'a', symlinkTarget: 7 }],
    ];
    for (const value of bad) {
      assert.throws(
        () => validateManifest(value, limits),
        { code: 'HLX_MANIFEST_INVALID' },
        JSON.stringify(value),
      );
    }
  });

  test('applies the archive path rules to every path and link', () => {
    const unsafe: unknown[] = [
      [{ path: '../a', size: 1, mode: 0o644, sha256: a }],
      [{ path: '/etc/a', size: 1, mode: 0o644, sha256: a }],
      [{ path: 'a\0b', size: 1, mode: 0o644, sha256: a }],
      [{ path: 'up', symlinkTarget: '../outside' }],
      [{ path: 'abs', symlinkTarget: '/etc' }],
      [
        { path: 'link', symlinkTarget: 'dir' },
        { path: 'link/x', size: 1, mode: 0o644, sha256: a },
      ],
      [
        { path: 'a', size: 1, mode: 0o644, sha256: a },
        { path: 'a', size: 1, mode: 0o644, sha256: b },
      ],
    ];
    for (const value of unsafe) {
      assert.throws(
        () => validateManifest(value, limits),
        { code: 'HLX_ARCHIVE_UNSAFE_PATH' },
        JSON.stringify(value),
      );
    }
  });

  test('applies the upload limits', () => {
    assert.throws(() => validateManifest(files, { maxBytes: 100, maxFiles: 3 }), {
      code: 'HLX_ARCHIVE_TOO_MANY_FILES',
    });
    assert.throws(() => validateManifest(files, { maxBytes: 2, maxFiles: 10 }), {
      code: 'HLX_ARCHIVE_TOO_LARGE',
    });
  });
});

describe('uploadLimitsFromEnv', () => {
  test('reads HELIX_MAX_UPLOAD_BYTES and HELIX_MAX_UPLOAD_FILES, with defaults of 100 MiB and 20000', () => {
    assert.deepEqual(uploadLimitsFromEnv({}), { maxBytes: 104_857_600, maxFiles: 20_000 });
    assert.deepEqual(defaultUploadLimits, { maxBytes: 104_857_600, maxFiles: 20_000 });
    assert.deepEqual(uploadLimitsFromEnv({ HELIX_MAX_UPLOAD_BYTES: '1000', HELIX_MAX_UPLOAD_FILES: '5' }), {
      maxBytes: 1000,
      maxFiles: 5,
    });
  });

  test('refuses a value that is not a positive whole number', () => {
    for (const value of ['0', '-1', '1.5', '10MB', 'lots']) {
      assert.throws(() => uploadLimitsFromEnv({ HELIX_MAX_UPLOAD_BYTES: value }), { code: 'HLX_CONFIG' });
    }
  });
});
