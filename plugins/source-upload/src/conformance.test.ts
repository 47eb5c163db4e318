import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import {
  BlobStore,
  collectFiles,
  localBlobTransport,
  manifestDigest,
  sha256Hex,
  uploadMissingBlobs,
} from '@helixstack/source';
import { type SourceFixture, type SourceTreeFixture, sourceConformance } from '@helixstack/testkit';
import { uploadSource } from './index.ts';

const limits = { maxBytes: 1024 * 1024, maxFiles: 100 };
const work = await mkdtemp(join(tmpdir(), 'helix-source-upload-conformance-'));
const store = new BlobStore(join(work, 'blobs'));
const manifestPath = (orgId: string, digest: string): string =>
  join(work, 'sources', orgId, `${digest}.json`);
after(() => rm(work, { recursive: true, force: true }));

/**
 * Uploads a folder the way `helix deploy` and the API do: send the missing blobs, then
 * save the manifest where the server keeps it, under the org of the suite's context
 * ("acme"): the plug-in must look in the org it is called for.
 */
async function upload(name: string, files: Record<string, string>, links: Record<string, string> = {}) {
  const dir = join(work, 'apps', name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  for (const [path, target] of Object.entries(links)) await symlink(target, join(dir, path));
  const manifest = await collectFiles(dir, { limits });
  await uploadMissingBlobs(dir, manifest, localBlobTransport(store, limits));
  const digest = manifestDigest(manifest);
  const path = manifestPath('acme', digest);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(manifest));
  const expected = { ...files };
  for (const [path, target] of Object.entries(links)) expected[path] = `symlink -> ${target}`;
  return { spec: { type: 'upload', digest }, files: expected } satisfies SourceTreeFixture;
}

async function fixture(): Promise<SourceFixture> {
  const site = await upload(
    'site',
    { 'index.html': '<h1>hi</h1>\n', 'assets/app.js': 'same\n', 'assets/copy.js': 'same\n' },
    { 'latest.html': 'index.html' },
  );
  const next = await upload('site-v2', { 'index.html': '<h1>hi again</h1>\n', 'assets/app.js': 'same\n' });
  return {
    ...site,
    other: next,
    missing: { type: 'upload', digest: sha256Hex('a manifest nobody uploaded') },
    abortable: false,
  };
}

sourceConformance('source-upload', () => uploadSource({ blobs: () => store, manifestPath, limits }), fixture);
