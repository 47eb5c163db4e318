import { extname } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.zip': 'application/zip',
};

export function contentTypeOf(fileName: string): string {
  return types[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A content hash in a file name, as bundlers write them: hex of 8+ characters with a
 * digit and a letter (`app.3f9a2c1b.js`), or 8 base64url characters mixing upper, lower
 * and digits (`index-BxY2aQ1z.js`). A name that is only a hash (`[contenthash].png`) needs
 * 16+ hex characters. Dates and version numbers (all digits) do not count.
 */
export function hasContentHash(fileName: string): boolean {
  const parts = fileName.split(/[.-]/);
  if (parts.length < 2) return false;
  if (parts[0]!.length >= 16 && isHexHash(parts[0]!)) return true;
  return parts.slice(1, -1).some((part) => isHexHash(part) || isBase64UrlHash(part));
}

function isHexHash(part: string): boolean {
  return /^[0-9a-f]{8,64}$/i.test(part) && /[0-9]/.test(part) && /[a-f]/i.test(part);
}

function isBase64UrlHash(part: string): boolean {
  return /^[A-Za-z0-9_]{8}$/.test(part) && /[0-9]/.test(part) && /[a-z]/.test(part) && /[A-Z]/.test(part);
}

/** HTML always revalidates (it names the assets); hashed assets never change; the rest for an hour. */
export function cacheControlOf(fileName: string): string {
  const type = contentTypeOf(fileName);
  if (type.startsWith('text/html')) return 'public, max-age=0, must-revalidate';
  if (hasContentHash(fileName)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

/** A strong validator from size and modification time (artifacts are immutable). */
export function etagOf(size: number, mtimeMs: number): string {
  return `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}

/** If-None-Match matches (weak comparison, as RFC 9110 asks for GET and HEAD). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  for (const candidate of ifNoneMatch.split(',')) {
    const value = candidate.trim();
    if (value === '*' || value.replace(/^W\//, '') === bare) return true;
  }
  return false;
}
