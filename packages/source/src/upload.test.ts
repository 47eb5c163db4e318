import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobStore } from './blob-store.ts';
import { collectFiles } from './collect.ts';
import { manifestDigest, sha256Hex } from './manifest.ts';
import { makeTempDir } from './testing.ts';
import { type BlobTransport, localBlobTransport, planUpload, uploadMissingBlobs } from './upload.ts';

const limits = { maxBytes: 1024 * 1024, maxFiles: 100 };
let work: string;
let app: string;
let store: BlobStore;

/** The in-process transport, recording which digests were actually sent. */
function recordingTransport(sent: string[]): BlobTransport {
  const inner = localBlobTransport(store, limits);
  return {
    missing: (digests) => inner.missing(digests),
    put: async (digest, size, body) => {
      sent.push(digest);
      await inner.put(digest, size, body);
    },
  };
}

before(async () => {
  work = await makeTempDir('upload');
  app = join(work, 'app');
  store = new BlobStore(join(work, 'store'));
  await mkdir(join(app, 'src'), { recursive: true });
  await writeFile(join(app, 'src/a.js'), 'same content');
  await writeFile(join(app, 'src/b.js'), 'same content');
  await writeFile(join(app, 'package.json'), '{"name":"app"}');
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('content-addressed upload', () => {
  test('sends each missing content once, then only what changed', async () => {
    const files = await collectFiles(app);
    const plan = await planUpload(store, files, limits);
    assert.equal(plan.digest, manifestDigest(files));
    assert.equal(plan.missing.length, 2, 'two distinct contents for three files');

    const firstSent: string[] = [];
    const first = await uploadMissingBlobs(app, files, recordingTransport(firstSent));
    assert.deepEqual(first, { blobs: 2, uploaded: 2, uploadedBytes: 26, reused: 0 });
    assert.deepEqual((await planUpload(store, files, limits)).missing, []);

    await writeFile(join(app, 'package.json'), '{"name":"app","version":"2"}');
    const changed = await collectFiles(app);
    const secondSent: string[] = [];
    const second = await uploadMissingBlobs(app, changed, recordingTransport(secondSent), { concurrency: 2 });
    assert.equal(second.uploaded, 1);
    assert.equal(second.reused, 1);
    assert.deepEqual(
      secondSent,
      [sha256Hex('{"name":"app","version":"2"}')],
      'only the changed file is sent',
    );
    assert.notEqual(manifestDigest(changed), plan.digest);
  });

  test('the server materializes the same tree the client listed', async () => {
    const files = await collectFiles(app);
    await uploadMissingBlobs(app, files, localBlobTransport(store, limits));
    const dest = join(work, 'materialized');
    await store.materialize(files, dest, limits);
    assert.equal(manifestDigest(await collectFiles(dest)), manifestDigest(files));
  });

  test('a blob that changed on disk after listing is refused by the server', async () => {
    const files = await collectFiles(app);
    await writeFile(join(app, 'src/a.js'), 'edited after listing');
    await writeFile(join(app, 'src/b.js'), 'edited after listing');
    try {
      await assert.rejects(
        uploadMissingBlobs(app, files, {
          missing: async (digests) => digests,
          put: (digest, size, body) => localBlobTransport(store, limits).put(digest, size, body),
        }),
        { code: 'HLX_BLOB_DIGEST_MISMATCH' },
      );
    } finally {
      await writeFile(join(app, 'src/a.js'), 'same content');
      await writeFile(join(app, 'src/b.js'), 'same content');
    }
  });
});
