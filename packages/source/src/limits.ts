import { HelixError } from '@helixstack/sdk';

/** Bounds on one source upload, enforced while bytes stream in, not after. */
export interface UploadLimits {
  /** Total bytes of file content. */
  maxBytes: number;
  /** Number of entries (files, links and, in archives, folders). */
  maxFiles: number;
}

export const defaultUploadLimits: Readonly<UploadLimits> = Object.freeze({
  maxBytes: 100 * 1024 * 1024,
  maxFiles: 20_000,
});

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new HelixError(
      'HLX_CONFIG',
      `${name} must be a positive whole number, got ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}

/** The server's limits: HELIX_MAX_UPLOAD_BYTES (default 100 MiB) and HELIX_MAX_UPLOAD_FILES (default 20000). */
export function uploadLimitsFromEnv(env: Record<string, string | undefined> = process.env): UploadLimits {
  return {
    maxBytes: positiveInteger(env, 'HELIX_MAX_UPLOAD_BYTES', defaultUploadLimits.maxBytes),
    maxFiles: positiveInteger(env, 'HELIX_MAX_UPLOAD_FILES', defaultUploadLimits.maxFiles),
  };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 2)} MiB`;
}

export function tooLargeError(limits: Pick<UploadLimits, 'maxBytes'>): HelixError {
  return new HelixError(
    'HLX_ARCHIVE_TOO_LARGE',
    `The upload is larger than the limit of ${mebibytes(limits.maxBytes)} (HELIX_MAX_UPLOAD_BYTES); add paths to .helixignore.`,
    { maxBytes: limits.maxBytes },
  );
}

export function tooManyFilesError(limits: Pick<UploadLimits, 'maxFiles'>): HelixError {
  return new HelixError(
    'HLX_ARCHIVE_TOO_MANY_FILES',
    `The upload has more than ${limits.maxFiles} entries (HELIX_MAX_UPLOAD_FILES); add paths to .helixignore.`,
    { maxFiles: limits.maxFiles },
  );
}
