import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HelixError } from '@helixstack/sdk';
import tar from 'tar-stream';
import { isSymlinkEntry, type SourceBlobFile, type SourceFile } from './manifest.ts';

/** A fixed mtime keeps the archive of one tree byte-identical from run to run. */
const epoch = new Date(0);

function changed(path: string): HelixError {
  return new HelixError('HLX_SOURCE_CHANGED', `${path} changed while it was being packed; deploy again.`, {
    path,
  });
}

/** Streams one file into the tar, checking it still has the size and digest the manifest says. */
async function packFile(pack: tar.Pack, dir: string, file: SourceBlobFile): Promise<void> {
  const entry = pack.entry({ name: file.path, size: file.size, mode: file.mode, mtime: epoch, type: 'file' });
  // Reading one byte past the listed size tells a file that grew from one that did not.
  const source = createReadStream(resolve(dir, file.path), { start: 0, end: file.size });
  async function* checked(): AsyncGenerator<Buffer> {
    const hash = createHash('sha256');
    let read = 0;
    try {
      for await (const chunk of source) {
        read += (chunk as Buffer).length;
        if (read > file.size) throw changed(file.path);
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    } catch (error) {
      // Deleted or replaced by a folder since it was listed: the same story as an edit.
      const code = (error as NodeJS.ErrnoException).code;
      throw code === 'ENOENT' || code === 'EISDIR' ? changed(file.path) : error;
    }
    if (read !== file.size || hash.digest('hex') !== file.sha256) throw changed(file.path);
  }
  // The error thrown here is the one the pack (and its reader) fails with.
  await pipeline(checked, entry);
}

/**
 * A tar of exactly `files` (as returned by collectFiles) read from `dir`: regular files
 * with their mode, links as links, no folders, owners or times. A file that changed since
 * it was listed fails the stream with HLX_SOURCE_CHANGED rather than sending content that
 * does not match the manifest.
 */
export function packFiles(dir: string, files: readonly SourceFile[]): Readable {
  const pack = tar.pack();
  const fill = async (): Promise<void> => {
    for (const file of files) {
      if (isSymlinkEntry(file)) {
        pack.entry({ name: file.path, type: 'symlink', linkname: file.symlinkTarget, mtime: epoch });
      } else {
        await packFile(pack, dir, file);
      }
    }
    pack.finalize();
  };
  fill().catch((error: unknown) => pack.destroy(error as Error));
  return Readable.from(pack, { objectMode: false });
}
