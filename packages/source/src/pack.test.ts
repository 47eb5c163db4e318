import assert from 'node:assert/strict';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { collectFiles } from './collect.ts';
import { extractArchive } from './extract.ts';
import { manifestDigest } from './manifest.ts';
import { packFiles } from './pack.ts';
import { makeTempDir } from './testing.ts';

let work: string;
let source: string;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

before(async () => {
  work = await makeTempDir('pack');
  source = join(work, 'app');
  await mkdir(join(source, 'src/[slug]'), { recursive: true });
  await writeFile(join(source, 'src/[slug]/+page.svelte'), '<h1>hi</h1>');
  await writeFile(join(source, 'empty.txt'), '');
  await writeFile(join(source, 'big.bin'), Buffer.alloc(300_000, 9));
  await writeFile(join(source, 'run.sh'), '#!/bin/sh\n');
  await chmod(join(source, 'run.sh'), 0o755);
  await writeFile(join(source, `${'long-name-'.repeat(12)}.txt`), 'long');
  await symlink('src/[slug]/+page.svelte', join(source, 'page'));
  await mkdir(join(source, 'node_modules'));
  await writeFile(join(source, 'node_modules/skip.js'), 'x');
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('packFiles', () => {
  test('packs exactly the listed files; extracting gives the same manifest', async () => {
    const files = await collectFiles(source);
    const dest = join(work, 'roundtrip');
    const result = await extractArchive(packFiles(source, files), dest, { maxBytes: 1 << 20, maxFiles: 100 });
    assert.equal(result.files, files.length);
    assert.equal(manifestDigest(await collectFiles(dest)), manifestDigest(files));
  });

  test('the archive of one tree is byte-identical from run to run', async () => {
    const files = await collectFiles(source);
    assert.deepEqual(await bytesOf(packFiles(source, files)), await bytesOf(packFiles(source, files)));
  });

  test('a file that changed or vanished since it was listed fails the stream with HLX_SOURCE_CHANGED', async () => {
    const files = await collectFiles(source);
    await writeFile(join(source, 'empty.txt'), 'now with content');
    try {
      await assert.rejects(bytesOf(packFiles(source, files)), { code: 'HLX_SOURCE_CHANGED' });
      await writeFile(join(source, 'empty.txt'), '');
      // Same size, other bytes: only the digest tells.
      await writeFile(join(source, 'run.sh'), '#!/bin/zh\n');
      await assert.rejects(bytesOf(packFiles(source, files)), { code: 'HLX_SOURCE_CHANGED' });
      await rm(join(source, 'run.sh'));
      await assert.rejects(bytesOf(packFiles(source, files)), { code: 'HLX_SOURCE_CHANGED' });
    } finally {
      await writeFile(join(source, 'empty.txt'), '');
      await writeFile(join(source, 'run.sh'), '#!/bin/sh\n');
      await chmod(join(source, 'run.sh'), 0o755);
    }
  });
});
