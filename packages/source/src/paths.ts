import { HelixError } from '@helixstack/sdk';

/** Longest relative path accepted, in UTF-8 bytes (Linux PATH_MAX). */
export const maxPathBytes = 4096;
/** Longest single path segment, in UTF-8 bytes (Linux NAME_MAX). */
export const maxSegmentBytes = 255;

function unsafe(path: string, why: string): HelixError {
  // JSON.stringify keeps control characters visible and the message on one line.
  return new HelixError('HLX_ARCHIVE_UNSAFE_PATH', `Unsafe path ${JSON.stringify(path)}: ${why}.`, {
    path,
  });
}

/**
 * Checks a path from an archive or a manifest and returns its canonical form: posix,
 * relative, no "." or empty segments, no trailing slash. A leading "./" is dropped
 * (archives made with `tar -C dir .` carry it). Refuses absolute paths, Windows drive
 * or UNC forms, ".." segments (with "/" or "\" as separator, since a Windows client
 * would treat "\" as one), and NUL. Every other byte is a legal name on Linux, so
 * names like `+page.svelte`, `[slug].tsx` or `café/ñ.txt` pass.
 */
export function validateRelativePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw unsafe(String(path), 'empty');
  if (path.includes('\0')) throw unsafe(path, 'contains a NUL byte');
  if (Buffer.byteLength(path) > maxPathBytes) throw unsafe(path, `longer than ${maxPathBytes} bytes`);
  if (path.startsWith('/') || path.startsWith('\\')) throw unsafe(path, 'absolute');
  if (/^[A-Za-z]:/.test(path)) throw unsafe(path, 'has a drive letter');
  if (path.split(/[\\/]/).includes('..')) throw unsafe(path, 'has a ".." segment');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw unsafe(path, 'names the root itself');
  for (const segment of segments) {
    if (Buffer.byteLength(segment) > maxSegmentBytes) throw unsafe(path, 'has a name longer than 255 bytes');
  }
  return segments.join('/');
}

/** True when `path` is already canonical, as manifests must be (one spelling per file). */
export function isCanonicalPath(path: string): boolean {
  try {
    return validateRelativePath(path) === path;
  } catch {
    return false;
  }
}

/** The ancestors of a canonical path, outermost first: `a/b/c` -> `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const segments = path.split('/');
  const ancestors: string[] = [];
  for (let i = 1; i < segments.length; i++) ancestors.push(segments.slice(0, i).join('/'));
  return ancestors;
}

/** The parent of a canonical path, '' for a top-level entry. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
