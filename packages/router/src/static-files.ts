import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HelixError } from '@helixstack/sdk';
import { sendErrorPage } from './error-page.ts';
import type { RequestHead } from './request-head.ts';
import { cacheControlOf, contentTypeOf, etagMatches, etagOf } from './static-headers.ts';

type Located = { kind: 'file'; path: string; stats: Stats } | { kind: 'directory' } | undefined;

/**
 * Serves a file of a static deployment. Nothing outside `root` is ever read: `..` and
 * dot-files are refused after decoding, and the real path (symlinks resolved) must stay
 * inside the real root. Everything refused looks like a missing file (404).
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  path: string,
  head: RequestHead,
): Promise<void> {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    sendErrorPage(res, new HelixError('HLX_METHOD_NOT_ALLOWED'), {
      accept: head.accept,
      requestId: head.requestId,
      headers: { allow: 'GET, HEAD' },
    });
    return;
  }
  const pathname = path.split('?', 1)[0]!;
  const segments = safeSegments(pathname);
  const rootReal = await realpath(root).catch(() => undefined);
  const found = segments && rootReal ? await locate(rootReal, segments, pathname.endsWith('/')) : undefined;
  if (found?.kind === 'directory') {
    const query = path.slice(pathname.length);
    const location = `/${segments!.map(encodeURIComponent).join('/')}/${query}`;
    res.writeHead(308, { location, 'x-request-id': head.requestId, 'content-length': 0 });
    res.end();
    return;
  }
  if (found) return sendFile(res, found.path, found.stats, 200, head, method === 'HEAD');
  const notFoundPage = rootReal ? await locate(rootReal, ['404.html'], false) : undefined;
  if (notFoundPage?.kind === 'file') {
    return sendFile(res, notFoundPage.path, notFoundPage.stats, 404, head, method === 'HEAD');
  }
  sendErrorPage(res, new HelixError('HLX_NOT_FOUND'), { accept: head.accept, requestId: head.requestId });
}

/** Decoded path segments, or undefined when the path tries to leave the root or is malformed. */
export function safeSegments(pathname: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  for (const segment of segments) {
    if (segment === '..') return undefined;
    if (segment.startsWith('.') && segment !== '.well-known') return undefined;
  }
  return segments;
}

async function locate(rootReal: string, segments: string[], slash: boolean): Promise<Located> {
  const real = await insideRealPath(rootReal, join(rootReal, ...segments));
  if (!real) return undefined;
  const stats = await stat(real).catch(() => undefined);
  if (stats?.isFile()) return { kind: 'file', path: real, stats };
  if (!stats?.isDirectory()) return undefined;
  // Relative links of an index page resolve against its URL, which must end with '/'.
  if (!slash && segments.length > 0) return { kind: 'directory' };
  const index = await insideRealPath(rootReal, join(real, 'index.html'));
  const indexStats = index ? await stat(index).catch(() => undefined) : undefined;
  return index && indexStats?.isFile() ? { kind: 'file', path: index, stats: indexStats } : undefined;
}

async function insideRealPath(rootReal: string, candidate: string): Promise<string | undefined> {
  const real = await realpath(candidate).catch(() => undefined);
  if (real === undefined) return undefined;
  return real === rootReal || real.startsWith(rootReal + sep) ? real : undefined;
}

async function sendFile(
  res: ServerResponse,
  path: string,
  stats: Stats,
  status: number,
  head: RequestHead,
  headOnly: boolean,
): Promise<void> {
  const etag = etagOf(stats.size, stats.mtimeMs);
  const cacheControl = cacheControlOf(path);
  if (status === 200 && etagMatches(head.ifNoneMatch, etag)) {
    res.writeHead(304, { etag, 'cache-control': cacheControl, 'x-request-id': head.requestId });
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': contentTypeOf(path),
    'content-length': stats.size,
    'cache-control': cacheControl,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'x-request-id': head.requestId,
  });
  if (headOnly) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(path), res);
  } catch {
    // The client went away or the file vanished mid-read; the connection is already cut.
    res.destroy();
  }
}
