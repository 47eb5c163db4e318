import { createHash } from 'node:crypto';
import { HelixError } from '@helixstack/sdk';
import { tooLargeError, tooManyFilesError, type UploadLimits } from './limits.ts';
import { validateRelativePath } from './paths.ts';
import { TreeGuard } from './tree-guard.ts';

/** A regular file of a source tree; its content is the blob named by `sha256`. */
export interface SourceBlobFile {
  /** Posix path relative to the source root, canonical (see validateRelativePath). */
  path: string;
  size: number;
  /** Only the exec bit is kept: 0o755 or 0o644. */
  mode: 0o644 | 0o755;
  /** Lowercase hex sha256 of the content. */
  sha256: string;
}

/** A symlink of a source tree; its target stays inside the tree. */
export interface SourceSymlink {
  path: string;
  symlinkTarget: string;
}

export type SourceFile = SourceBlobFile | SourceSymlink;

const digestPattern = /^[0-9a-f]{64}$/;

export function isSymlinkEntry(file: SourceFile): file is SourceSymlink {
  return 'symlinkTarget' in file;
}

export function isSha256Digest(value: unknown): value is string {
  return typeof value === 'string' && digestPattern.test(value);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function byPath(a: SourceFile, b: SourceFile): number {
  return Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));
}

/**
 * The source id: sha256 over the entries sorted by path (UTF-8 byte order), one
 * `<octal mode> <sha256>\t<path>\0` record each, as in a git tree. A link is recorded
 * with mode 120000 and the sha256 of its target, so the id changes when a link moves.
 */
export function manifestDigest(files: readonly SourceFile[]): string {
  const hash = createHash('sha256').update('helix-manifest-v1\n');
  for (const file of [...files].sort(byPath)) {
    const [mode, digest] = isSymlinkEntry(file)
      ? ['120000', sha256Hex(file.symlinkTarget)]
      : [file.mode.toString(8), file.sha256];
    hash.update(`${mode} ${digest}\t${file.path}\0`);
  }
  return hash.digest('hex');
}

/** The distinct blob digests a manifest needs, in first-seen order. */
export function blobDigests(files: readonly SourceFile[]): string[] {
  const digests = new Set<string>();
  for (const file of files) if (!isSymlinkEntry(file)) digests.add(file.sha256);
  return [...digests];
}

function invalid(index: number, why: string): HelixError {
  return new HelixError('HLX_MANIFEST_INVALID', `Manifest entry ${index}: ${why}.`, { index });
}

function parseEntry(value: unknown, index: number): SourceFile {
  if (typeof value !== 'object' || value === null) throw invalid(index, 'not an object');
  const entry = value as Record<string, unknown>;
  if (typeof entry.path !== 'string') throw invalid(index, '"path" must be a string');
  const path = validateRelativePath(entry.path);
  if (path !== entry.path) throw invalid(index, `path must be written as ${JSON.stringify(path)}`);
  const keys = Object.keys(entry).sort().join(',');
  if (keys === 'path,symlinkTarget') {
    if (typeof entry.symlinkTarget !== 'string') throw invalid(index, '"symlinkTarget" must be a string');
    return { path, symlinkTarget: entry.symlinkTarget };
  }
  if (keys !== 'mode,path,sha256,size') {
    throw invalid(index, 'expected exactly {path, size, mode, sha256} or {path, symlinkTarget}');
  }
  const { size, mode, sha256 } = entry;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(index, '"size" must be a whole number of bytes');
  }
  if (mode !== 0o644 && mode !== 0o755) throw invalid(index, '"mode" must be 420 (0o644) or 493 (0o755)');
  if (!isSha256Digest(sha256)) throw invalid(index, '"sha256" must be 64 lowercase hex characters');
  return { path, size, mode, sha256 };
}

/**
 * Checks a manifest received from a client: its shape, every path with the rules of
 * archive extraction (validateRelativePath plus the TreeGuard), and the upload limits.
 * Returns the typed manifest; throws a HelixError naming the first bad entry.
 */
export function validateManifest(value: unknown, limits: UploadLimits): SourceFile[] {
  if (!Array.isArray(value)) throw new HelixError('HLX_MANIFEST_INVALID', 'The manifest must be an array.');
  if (value.length > limits.maxFiles) throw tooManyFilesError(limits);
  const guard = new TreeGuard();
  const files: SourceFile[] = [];
  let bytes = 0;
  for (const [index, item] of value.entries()) {
    const file = parseEntry(item, index);
    if (isSymlinkEntry(file)) {
      guard.add(file.path, 'symlink', file.symlinkTarget);
    } else {
      guard.add(file.path, 'file');
      bytes += file.size;
      if (bytes > limits.maxBytes) throw tooLargeError(limits);
    }
    files.push(file);
  }
  guard.checkLinks();
  return files;
}
