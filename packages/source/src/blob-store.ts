import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HelixError } from '@helixstack/sdk';
import { tooLargeError, type UploadLimits } from './limits.ts';
import { isSha256Digest, type SourceFile } from './manifest.ts';
import { materializeTree } from './materialize.ts';

export interface BlobPutOptions {
  /** Upper bound for this one blob (the upload's maxBytes). */
  maxBytes: number;
  /** The size the manifest announced; a different length is refused like a wrong digest. */
  expectedSize?: number;
}

export interface BlobPutResult {
  digest: string;
  size: number;
  /** False when the store already had this content. */
  created: boolean;
}

/** How many stat calls `missing` keeps in flight. */
const statBatch = 64;

export function assertDigest(digest: unknown): asserts digest is string {
  if (!isSha256Digest(digest)) {
    throw new HelixError('HLX_BLOB_DIGEST_INVALID', `${JSON.stringify(digest)} is not a sha256 hex digest.`);
  }
}

/**
 * Content-addressed file store: `<root>/blobs/<first two hex>/<sha256>`. A blob is written
 * to `<root>/tmp`, checked against its digest while it streams, synced, then renamed into
 * place, so a reader sees a whole verified blob or none. Blobs are read-only files.
 */
export class BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  pathOf(digest: string): string {
    assertDigest(digest);
    return join(this.root, 'blobs', digest.slice(0, 2), digest);
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(digest))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** The digests among `digests` the store lacks, each once, in the order given. */
  async missing(digests: readonly string[]): Promise<string[]> {
    for (const digest of digests) assertDigest(digest);
    const unique = [...new Set(digests)];
    const lacking: string[] = [];
    for (let start = 0; start < unique.length; start += statBatch) {
      const batch = unique.slice(start, start + statBatch);
      const present = await Promise.all(batch.map((digest) => this.has(digest)));
      batch.forEach((digest, index) => {
        if (!present[index]) lacking.push(digest);
      });
    }
    return lacking;
  }

  /**
   * Stores `stream` as `digest`; refuses (and keeps nothing) when the content does not hash
   * to it or passes `maxBytes`. A refused upload is left paused and unread for the caller.
   */
  async put(digest: string, stream: Readable, options: BlobPutOptions): Promise<BlobPutResult> {
    const finalPath = this.pathOf(digest);
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const partial = join(tmpDir, `${digest}.${randomUUID()}.partial`);
    try {
      const size = await this.#writeVerified(digest, stream, partial, options);
      const existed = await this.has(digest);
      await mkdir(join(this.root, 'blobs', digest.slice(0, 2)), { recursive: true });
      await rename(partial, finalPath);
      return { digest, size, created: !existed };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** Reads a stored blob. */
  read(digest: string): Readable {
    return createReadStream(this.pathOf(digest));
  }

  /**
   * Builds a source tree in `destDir` (new or empty) from a manifest whose blobs are all
   * stored, with the path rules of archive extraction. Files are copies (reflinks where the
   * file system has them), never hardlinks: a build that edits its tree must not edit the
   * store, and one blob can appear with two modes.
   */
  async materialize(
    manifest: unknown,
    destDir: string,
    limits: UploadLimits,
  ): Promise<{ files: SourceFile[] }> {
    return { files: await materializeTree(this, manifest, destDir, limits) };
  }

  /** Removes blobs half-written by a process that died; call at start, before any upload. */
  async clearPartials(): Promise<void> {
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
  }

  async #writeVerified(
    digest: string,
    stream: Readable,
    partial: string,
    options: BlobPutOptions,
  ): Promise<number> {
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(partial, 'wx', 0o600);
    try {
      // On a refusal the upload is left paused, not destroyed: the caller still answers 413.
      for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
        size += (chunk as Buffer).length;
        if (size > options.maxBytes) throw tooLargeError(options);
        hash.update(chunk as Buffer);
        await handle.write(chunk as Buffer);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const actual = hash.digest('hex');
    if (actual !== digest || (options.expectedSize !== undefined && size !== options.expectedSize)) {
      throw new HelixError(
        'HLX_BLOB_DIGEST_MISMATCH',
        `The uploaded content hashes to ${actual} (${size} bytes), not ${digest}; upload it again.`,
        { expected: digest, actual, size },
      );
    }
    await chmod(partial, 0o444);
    return size;
  }
}
