import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BlobStore } from './blob-store.ts';
import { type SourceFile, sha256Hex } from './manifest.ts';
import { makeTempDir } from './testing.ts';

const limits = { maxBytes: 1024 * 1024, maxFiles: 100 };
let work: string;
let store: BlobStore;

before(async () => {
  work = await makeTempDir('blobs');
  store = new BlobStore(join(work, 'store'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function putText(text: string, digest = sha256Hex(text)) {
  return store.put(digest, Readable.from([Buffer.from(text)]), { maxBytes: limits.maxBytes });
}

function partials(): string[] {
  const tmp = join(store.root, 'tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
}

describe('BlobStore', () => {
  test('stores content under blobs/<aa>/<sha256>, read-only, once', async () => {
    const digest = sha256Hex('hello');
    assert.deepEqual(await putText('hello'), { digest, size: 5, created: true });
    const path = join(store.root, 'blobs', digest.slice(0, 2), digest);
    assert.equal(store.pathOf(digest), path);
    assert.equal(readFileSync(path, 'utf8'), 'hello');
    assert.equal(statSync(path).mode & 0o777, 0o444);
    assert.equal(await store.has(digest), true);
    assert.deepEqual(await putText('hello'), { digest, size: 5, created: false });
  });

  test('missing() reports only the unknown digests, each once, in order', async () => {
    await putText('known');
    const unknownA = sha256Hex('unknown a');
    const unknownB = sha256Hex('unknown b');
    const missing = await store.missing([unknownB, sha256Hex('known'), unknownA, unknownB]);
    assert.deepEqual(missing, [unknownB, unknownA]);
  });

  test('a digest mismatch is refused and leaves nothing behind', async () => {
    const claimed = sha256Hex('what the manifest said');
    await assert.rejects(putText('something else', claimed), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HLX_BLOB_DIGEST_MISMATCH');
      assert.match(error.message, new RegExp(sha256Hex('something else')));
      return true;
    });
    assert.equal(await store.has(claimed), false);
    assert.deepEqual(partials(), []);
  });

  test('a size other than the announced one is refused', async () => {
    const digest = sha256Hex('sized');
    await assert.rejects(
      store.put(digest, Readable.from([Buffer.from('sized')]), { maxBytes: 100, expectedSize: 4 }),
      { code: 'HLX_BLOB_DIGEST_MISMATCH' },
    );
    assert.equal(await store.has(digest), false);
  });

  test('anything but a lowercase sha256 hex digest is refused before touching the disk', async () => {
    for (const digest of ['../../etc/passwd', 'ab', sha256Hex('x').toUpperCase(), `${sha256Hex('x')}/`]) {
      await assert.rejects(store.has(digest), { code: 'HLX_BLOB_DIGEST_INVALID' });
      await assert.rejects(store.missing([digest]), { code: 'HLX_BLOB_DIGEST_INVALID' });
      await assert.rejects(putText('x', digest), { code: 'HLX_BLOB_DIGEST_INVALID' });
    }
  });

  test('a blob over the limit stops the upload early', async () => {
    const chunk = Buffer.alloc(64 * 1024);
    let produced = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (let index = 0; index < 10_000; index++) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const stream = Readable.from(endless(), { highWaterMark: 1 });
    await assert.rejects(store.put(sha256Hex('big'), stream, { maxBytes: 256 * 1024 }), {
      code: 'HLX_ARCHIVE_TOO_LARGE',
      status: 413,
    });
    assert.ok(produced <= 256 * 1024 + 4 * chunk.length, `read ${produced} bytes`);
    assert.deepEqual(partials(), []);
    assert.equal(stream.destroyed, false, 'the upload is left to the caller, who still has to answer');
    stream.destroy();
  });

  test('a blob being written is not visible until it is whole and verified', async () => {
    const content = 'first half|second half';
    const digest = sha256Hex(content);
    const body = new PassThrough();
    const putting = store.put(digest, body, { maxBytes: 1024 });
    body.write('first half|');
    for (let turn = 0; turn < 1000 && partials().length === 0; turn++) await nextTurn();
    assert.equal(partials().length, 1, 'the upload is under way');
    assert.equal(await store.has(digest), false);
    body.end('second half');
    await putting;
    assert.equal(await store.has(digest), true);
    assert.deepEqual(partials(), []);
  });

  test('clearPartials removes what a crashed upload left', async () => {
    await putText('whatever');
    await writeFile(join(store.root, 'tmp', 'dead.partial'), 'half');
    await store.clearPartials();
    assert.deepEqual(partials(), []);
  });
});

describe('BlobStore.materialize', () => {
  test('builds the tree from blobs with modes and links; the copies do not share the blob', async () => {
    await putText('export default 1;\n');
    await putText('#!/bin/sh\n');
    const manifest: SourceFile[] = [
      { path: 'src/index.js', size: 18, mode: 0o644, sha256: sha256Hex('export default 1;\n') },
      { path: 'bin/run', size: 10, mode: 0o755, sha256: sha256Hex('#!/bin/sh\n') },
      { path: 'bin/same-content', size: 10, mode: 0o644, sha256: sha256Hex('#!/bin/sh\n') },
      { path: 'main.js', symlinkTarget: 'src/index.js' },
    ];
    const dest = join(work, 'tree');
    const { files } = await store.materialize(manifest, dest, limits);
    assert.equal(files.length, 4);
    assert.equal(readFileSync(join(dest, 'src/index.js'), 'utf8'), 'export default 1;\n');
    assert.equal(statSync(join(dest, 'bin/run')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dest, 'bin/same-content')).mode & 0o777, 0o644);
    assert.equal(readlinkSync(join(dest, 'main.js')), 'src/index.js');
    await writeFile(join(dest, 'src/index.js'), 'edited by a build');
    assert.equal(readFileSync(store.pathOf(sha256Hex('export default 1;\n')), 'utf8'), 'export default 1;\n');
  });

  test('refuses a manifest whose blobs are not all uploaded, creating nothing', async () => {
    const dest = join(work, 'incomplete');
    const absent = sha256Hex('never uploaded');
    await assert.rejects(
      store.materialize([{ path: 'a.txt', size: 14, mode: 0o644, sha256: absent }], dest, limits),
      (error: Error & { code?: string; details?: { missing: string[] } }) => {
        assert.equal(error.code, 'HLX_BLOB_MISSING');
        assert.deepEqual(error.details?.missing, [absent]);
        return true;
      },
    );
    assert.equal(existsSync(dest), false);
  });

  test('validates manifest paths with the extraction rules', async () => {
    await putText('x');
    const digest = sha256Hex('x');
    const dest = join(work, 'unsafe');
    for (const manifest of [
      [{ path: '../escape.txt', size: 1, mode: 0o644, sha256: digest }],
      [
        { path: 'link', symlinkTarget: '..' },
        { path: 'link/escape.txt', size: 1, mode: 0o644, sha256: digest },
      ],
    ]) {
      await assert.rejects(store.materialize(manifest, dest, limits), { code: 'HLX_ARCHIVE_UNSAFE_PATH' });
    }
    assert.equal(existsSync(join(work, 'escape.txt')), false);
    assert.equal(existsSync(dest), false);
    assert.deepEqual((await readdir(work)).sort(), ['store', 'tree']);
  });
});
