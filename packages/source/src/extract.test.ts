import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { extractArchive } from './extract.ts';
import type { UploadLimits } from './limits.ts';
import { makeTempDir, type TarEntrySpec, tarFileHeader, tarStreamOf } from './testing.ts';

const limits: UploadLimits = { maxBytes: 1024 * 1024, maxFiles: 100 };
let work: string;
let counter = 0;

before(async () => {
  work = await makeTempDir('extract');
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fresh parent folder per case, so "nothing outside destDir" can be checked on it. */
async function freshDest(): Promise<{ parent: string; dest: string }> {
  counter += 1;
  const parent = join(work, `case-${counter}`);
  await mkdir(parent);
  return { parent, dest: join(parent, 'out') };
}

async function refused(entries: TarEntrySpec[], code: string): Promise<{ parent: string }> {
  const { parent, dest } = await freshDest();
  await assert.rejects(extractArchive(await tarStreamOf(entries), dest, limits), (error: unknown) => {
    assert.ok(error instanceof HelixError, `a HelixError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
  assert.equal(existsSync(dest), false, 'the partial destination is removed');
  return { parent };
}

describe('extractArchive: what it accepts', () => {
  test('files, folders, exec bits, links and hardlinks inside the tree', async () => {
    const { dest } = await freshDest();
    const result = await extractArchive(
      await tarStreamOf([
        { name: 'src', type: 'directory' },
        { name: 'src/index.js', content: 'console.log(1)' },
        { name: 'bin/run', content: '#!/bin/sh', mode: 0o755 },
        { name: 'current', type: 'symlink', linkname: 'src/index.js' },
        { name: 'same', type: 'link', linkname: 'src/index.js' },
      ]),
      dest,
      limits,
    );
    assert.deepEqual(result, { files: 4, bytes: 'console.log(1)'.length + '#!/bin/sh'.length });
    assert.equal(readFileSync(join(dest, 'src/index.js'), 'utf8'), 'console.log(1)');
    assert.equal(statSync(join(dest, 'bin/run')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dest, 'src/index.js')).mode & 0o777, 0o644);
    assert.equal(readlinkSync(join(dest, 'current')), 'src/index.js');
    assert.equal(statSync(join(dest, 'same')).ino, statSync(join(dest, 'src/index.js')).ino);
  });

  test('odd but legal names are kept as they are', async () => {
    const { dest } = await freshDest();
    const names = [
      'routes/+page.svelte',
      'pages/[slug].tsx',
      'café/ñ.txt',
      'with space/a b.txt',
      '...',
      'x/..y',
      `deep/${'n'.repeat(150)}.txt`,
    ];
    await extractArchive(await tarStreamOf(names.map((name) => ({ name, content: name }))), dest, limits);
    for (const name of names) assert.equal(readFileSync(join(dest, name), 'utf8'), name);
  });

  test('a leading "./" (as `tar -C dir .` writes) is dropped', async () => {
    const { dest } = await freshDest();
    await extractArchive(
      await tarStreamOf([
        { name: './', type: 'directory' },
        { name: './a.txt', content: 'a' },
      ]),
      dest,
      limits,
    );
    assert.equal(readFileSync(join(dest, 'a.txt'), 'utf8'), 'a');
  });
});

describe('extractArchive: unsafe paths', () => {
  for (const name of ['../evil', 'a/../../evil', '..\\..\\evil', '/tmp/helix-abs-evil', 'C:/evil']) {
    test(`refuses ${JSON.stringify(name)} and writes nothing outside`, async () => {
      const { parent } = await refused(
        [
          { name: 'ok.txt', content: 'fine' },
          { name, content: 'pwned' },
        ],
        'HLX_ARCHIVE_UNSAFE_PATH',
      );
      assert.equal(existsSync(join(parent, 'evil')), false);
      assert.equal(existsSync('/tmp/helix-abs-evil'), false);
    });
  }

  test('refuses a ".." folder entry', async () => {
    await refused([{ name: '..', type: 'directory' }], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses a NUL byte in a name (carried by a pax header)', async () => {
    await refused([{ name: `${'a'.repeat(120)}\0.txt`, content: 'x' }], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses a path given twice (the second could replace a link)', async () => {
    await refused(
      [
        { name: 'a.txt', content: '1' },
        { name: 'a.txt', content: '2' },
      ],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
  });
});

describe('extractArchive: links', () => {
  test('refuses a symlink to an absolute path', async () => {
    await refused([{ name: 'etc', type: 'symlink', linkname: '/etc' }], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses a symlink that climbs out of the tree', async () => {
    await refused([{ name: 'a/up', type: 'symlink', linkname: '../../outside' }], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses writing through a link made by an earlier entry (link -> /tmp, then link/evil)', async () => {
    const marker = `helix-through-${process.pid}-${counter}`;
    await refused(
      [
        { name: 'link', type: 'symlink', linkname: '/tmp' },
        { name: `link/${marker}`, content: 'pwned' },
      ],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
    assert.equal(existsSync(join('/tmp', marker)), false);
  });

  test('refuses an entry below a link even when the link stays inside', async () => {
    await refused(
      [
        { name: 'real', type: 'directory' },
        { name: 'alias', type: 'symlink', linkname: 'real' },
        { name: 'alias/file.txt', content: 'x' },
      ],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
  });

  test('refuses a link that escapes through another link, in either order', async () => {
    const hop: TarEntrySpec = { name: 'a/s', type: 'symlink', linkname: '..' };
    const climb: TarEntrySpec = { name: 't', type: 'symlink', linkname: 'a/s/../x' };
    await refused([{ name: 'a', type: 'directory' }, hop, climb], 'HLX_ARCHIVE_UNSAFE_PATH');
    await refused([{ name: 'a', type: 'directory' }, climb, hop], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses a hardlink to a file outside the tree', async () => {
    await refused(
      [{ name: 'passwd', type: 'link', linkname: '../../../../etc/passwd' }],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
    await refused([{ name: 'passwd', type: 'link', linkname: '/etc/passwd' }], 'HLX_ARCHIVE_UNSAFE_PATH');
  });

  test('refuses a hardlink to a file not extracted before it, or to a link', async () => {
    await refused(
      [
        { name: 'h', type: 'link', linkname: 'later.txt' },
        { name: 'later.txt', content: 'x' },
      ],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
    await refused(
      [
        { name: 's', type: 'symlink', linkname: 'x' },
        { name: 'h', type: 'link', linkname: 's' },
      ],
      'HLX_ARCHIVE_UNSAFE_PATH',
    );
  });
});

describe('extractArchive: entry types', () => {
  for (const type of ['character-device', 'block-device', 'fifo'] as const) {
    test(`refuses a ${type}`, async () => {
      const { parent } = await refused(
        [
          { name: 'ok.txt', content: 'fine' },
          { name: 'dev', type },
        ],
        'HLX_ARCHIVE_UNSUPPORTED_ENTRY',
      );
      assert.equal(existsSync(join(parent, 'dev')), false);
    });
  }
});

describe('extractArchive: limits', () => {
  test('stops reading a huge entry at once: far less than the entry is ever produced', async () => {
    const { dest } = await freshDest();
    const declared = 1024 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024);
    let produced = 0;
    async function* huge(): AsyncGenerator<Buffer> {
      yield await tarFileHeader('big.bin', declared);
      for (let sent = 0; sent < declared; sent += chunk.length) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const source = Readable.from(huge(), { highWaterMark: 1 });
    await assert.rejects(extractArchive(source, dest, limits), {
      code: 'HLX_ARCHIVE_TOO_LARGE',
      status: 413,
    });
    assert.ok(
      produced <= limits.maxBytes + 4 * chunk.length,
      `read ${produced} bytes of a ${declared} entry`,
    );
    assert.equal(existsSync(dest), false);
  });

  test('stops once many entries together pass the byte limit', async () => {
    const { dest } = await freshDest();
    const content = Buffer.alloc(300 * 1024, 1);
    let produced = 0;
    async function* many(): AsyncGenerator<Buffer> {
      for (let index = 0; index < 1000; index++) {
        const entry = Buffer.concat([await tarFileHeader(`part-${index}`, content.length), content]);
        produced += entry.length;
        yield entry;
      }
    }
    const wide = { maxBytes: limits.maxBytes, maxFiles: 5000 };
    await assert.rejects(extractArchive(Readable.from(many(), { highWaterMark: 1 }), dest, wide), {
      code: 'HLX_ARCHIVE_TOO_LARGE',
    });
    assert.ok(produced <= wide.maxBytes + 4 * (content.length + 512), `read ${produced} bytes`);
    assert.equal(existsSync(dest), false);
  });

  test('refuses more entries than the file limit, with 413', async () => {
    const entries = Array.from({ length: 6 }, (_, index) => ({ name: `f${index}.txt`, content: 'x' }));
    const { dest } = await freshDest();
    await assert.rejects(extractArchive(await tarStreamOf(entries), dest, { maxBytes: 1024, maxFiles: 5 }), {
      code: 'HLX_ARCHIVE_TOO_MANY_FILES',
      status: 413,
    });
    assert.equal(existsSync(dest), false);
  });
});

describe('extractArchive: malformed input', () => {
  test('bytes that are not a tar are HLX_ARCHIVE_INVALID', async () => {
    const { dest } = await freshDest();
    await assert.rejects(extractArchive(Readable.from([Buffer.alloc(1024, 7)]), dest, limits), {
      code: 'HLX_ARCHIVE_INVALID',
    });
    assert.equal(existsSync(dest), false);
  });

  test('a truncated tar is HLX_ARCHIVE_INVALID', async () => {
    const { dest } = await freshDest();
    const header = await tarFileHeader('cut.txt', 4096);
    await assert.rejects(extractArchive(Readable.from([header, Buffer.alloc(100)]), dest, limits), {
      code: 'HLX_ARCHIVE_INVALID',
    });
  });

  test('an upload that fails mid-way rejects with its own error', async () => {
    const { dest } = await freshDest();
    const broken = new Error('client went away');
    async function* failing(): AsyncGenerator<Buffer> {
      yield await tarFileHeader('slow.txt', 4096);
      throw broken;
    }
    await assert.rejects(extractArchive(Readable.from(failing()), dest, limits), broken);
    assert.equal(existsSync(dest), false);
  });

  test('the destination must be new or empty', async () => {
    const { dest } = await freshDest();
    await mkdir(dest);
    await writeFile(join(dest, 'keep.txt'), 'mine');
    await assert.rejects(extractArchive(await tarStreamOf([{ name: 'a', content: 'a' }]), dest, limits));
    assert.equal(lstatSync(join(dest, 'keep.txt')).isFile(), true, 'an existing folder is not removed');
  });
});
