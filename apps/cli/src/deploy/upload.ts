import type { HelixClient } from '@helixstack/client';
import {
  type BlobTransport,
  collectFiles,
  type SourceFile,
  type UploadReport,
  uploadMissingBlobs,
} from '@helixstack/source';
import { formatBytes } from '../format.ts';

/** The HTTP side of the content-addressed upload: /v1/sources/check and PUT /v1/blobs/:sha256. */
export function httpBlobTransport(client: HelixClient, files: readonly SourceFile[]): BlobTransport {
  return {
    // The server answers for the whole manifest (it validates it too), so the digests are implied.
    missing: async () => (await client.checkSource(files)).missing,
    put: async (digest, size, body) => {
      await client.putBlob(digest, size, body);
    },
  };
}

export interface UploadedSource {
  files: SourceFile[];
  report: UploadReport;
}

/** Collects `dir` (ignore files honoured) and sends the server only the blobs it lacks. */
export async function uploadSource(client: HelixClient, dir: string): Promise<UploadedSource> {
  const files = await collectFiles(dir);
  const report = await uploadMissingBlobs(dir, files, httpBlobTransport(client, files));
  return { files, report };
}

/** "Uploaded 3 files (12 KB), 40 unchanged." */
export function describeUpload({ report }: UploadedSource): string {
  const noun = report.uploaded === 1 ? 'file' : 'files';
  return `Uploaded ${report.uploaded} ${noun} (${formatBytes(report.uploadedBytes)}), ${report.reused} unchanged.`;
}
