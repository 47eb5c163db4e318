import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';

/** One entry of a hand-made archive; `type` defaults to a file. */
export interface TarEntrySpec {
  name: string;
  type?: Header['type'];
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** A tar built entry by entry with tar-stream, for tests that need archives no honest client makes. */
export async function tarOf(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const spec of entries) {
    const type = spec.type ?? 'file';
    const header: Partial<Header> & Pick<Header, 'name'> = {
      name: spec.name,
      type,
      mode: spec.mode,
      mtime: new Date(0),
    };
    if (spec.linkname !== undefined) header.linkname = spec.linkname;
    if (type === 'file') pack.entry(header, spec.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The same archive as a stream, as an upload arrives. */
export async function tarStreamOf(entries: readonly TarEntrySpec[]): Promise<Readable> {
  return Readable.from([await tarOf(entries)]);
}

/** The 512-byte header of one file entry of `size` bytes: the start of an archive whose body a test streams. */
export async function tarFileHeader(name: string, size: number): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, size, mtime: new Date(0) });
  const header = (await pack[Symbol.asyncIterator]().next()).value as Buffer;
  pack.destroy();
  return header;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `helix-${prefix}-`));
}
