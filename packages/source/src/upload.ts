import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.ts';
import type { UploadLimits } from './limits.ts';
import {
  blobDigests,
  isSymlinkEntry,
  manifestDigest,
  type SourceFile,
  validateManifest,
} from './manifest.ts';

/**
 * The two calls of the content-addressed upload, as the client sees them. Over HTTP they
 * are "which of these digests do you lack?" and "here is the blob for this digest".
 */
export interface BlobTransport {
  /** The digests among `digests` the server does not have yet. */
  missing(digests: string[]): Promise<string[]>;
  /** Sends one blob; the server verifies that `body` hashes to `digest` and is `size` bytes. */
  put(digest: string, size: number, body: Readable): Promise<void>;
}

export interface UploadReport {
  /** Distinct blobs the manifest needs. */
  blobs: number;
  uploaded: number;
  uploadedBytes: number;
  /** Blobs the server already had, not sent again. */
  reused: number;
}

export interface UploadOptions {
  /** Blobs sent at once; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Client side: asks which blobs the server lacks and sends only those, read from `dir`. */
export async function uploadMissingBlobs(
  dir: string,
  files: readonly SourceFile[],
  transport: BlobTransport,
  options: UploadOptions = {},
): Promise<UploadReport> {
  const needed = blobDigests(files);
  const lacking = await transport.missing(needed);
  const firstFile = new Map<string, { path: string; size: number }>();
  for (const file of files) {
    if (!isSymlinkEntry(file) && !firstFile.has(file.sha256)) firstFile.set(file.sha256, file);
  }
  const queue = lacking.filter((digest) => firstFile.has(digest));
  let uploadedBytes = 0;
  const worker = async (): Promise<void> => {
    for (let digest = queue.shift(); digest !== undefined; digest = queue.shift()) {
      options.signal?.throwIfAborted();
      const file = firstFile.get(digest)!;
      await transport.put(digest, file.size, createReadStream(resolve(dir, file.path)));
      uploadedBytes += file.size;
    }
  };
  const uploading = queue.length;
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, uploading));
  await Promise.all(Array.from({ length: workers }, worker));
  return { blobs: needed.length, uploaded: uploading, uploadedBytes, reused: needed.length - uploading };
}

export interface UploadPlan {
  files: SourceFile[];
  /** The source id (manifestDigest). */
  digest: string;
  /** Blobs the client must send before the source can be materialized. */
  missing: string[];
}

/** Server side, for a received manifest: validate it, name it, and say which blobs to send. */
export async function planUpload(
  store: BlobStore,
  manifest: unknown,
  limits: UploadLimits,
): Promise<UploadPlan> {
  const files = validateManifest(manifest, limits);
  return { files, digest: manifestDigest(files), missing: await store.missing(blobDigests(files)) };
}

/**
 * A transport that talks to a BlobStore in the same process: the reference the HTTP
 * client and routes are tested against, and a fake for CLI tests.
 */
export function localBlobTransport(store: BlobStore, limits: UploadLimits): BlobTransport {
  return {
    missing: (digests) => store.missing(digests),
    put: async (digest, size, body) => {
      await store.put(digest, body, { maxBytes: limits.maxBytes, expectedSize: size });
    },
  };
}
