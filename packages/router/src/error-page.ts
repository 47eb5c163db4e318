import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HelixError } from '@helixstack/sdk';

/**
 * True when the Accept header ranks application/json above text/html. A tie goes to
 * JSON only when JSON is named and HTML is not (`application/json, *\/*`).
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept?.includes('json')) return false;
  const json = quality(accept, 'application', 'json');
  const html = quality(accept, 'text', 'html');
  if (json.q !== html.q) return json.q > html.q;
  return json.q > 0 && json.exact && !html.exact;
}

interface Match {
  q: number;
  exact: boolean;
}

/** The quality the Accept header gives a media type, from its most specific matching range. */
function quality(accept: string, type: string, subtype: string): Match {
  let best: Match = { q: 0, exact: false };
  let bestSpecificity = -1;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';');
    const [rangeType = '', rangeSubtype = ''] = range.trim().toLowerCase().split('/');
    let specificity: number;
    if (rangeType === type && rangeSubtype === subtype) specificity = 2;
    else if (rangeType === type && rangeSubtype === '*') specificity = 1;
    else if (rangeType === '*' && rangeSubtype === '*') specificity = 0;
    else continue;
    if (specificity <= bestSpecificity) continue;
    bestSpecificity = specificity;
    best = { q: parseQuality(params), exact: specificity === 2 };
  }
  return best;
}

function parseQuality(params: string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim() === 'q') {
      const q = Number(value.trim());
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

export interface ErrorPageOptions {
  accept: string | undefined;
  requestId: string;
  /** Overrides the catalogue status (an unavailable target says 502 or 503 itself). */
  status?: number;
  headers?: Record<string, string>;
}

/** Answers with the error as `{"error":{...}}` or a small HTML page, as the client prefers. */
export function sendErrorPage(res: ServerResponse, error: HelixError, options: ErrorPageOptions): void {
  const status = options.status ?? error.status;
  const { contentType, body } = renderError(error, status, options);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': options.requestId,
    ...options.headers,
  });
  res.end(body);
}

/**
 * The same answer written straight to a socket, for upgrade requests that never became
 * an HTTP response object. The connection is closed after it.
 */
export function writeRawErrorResponse(socket: Duplex, error: HelixError, options: ErrorPageOptions): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(error, options, true).text);
}

/** The error response as HTTP/1.1 text, for connections the router reads and writes itself. */
export function rawErrorResponse(
  error: HelixError,
  options: ErrorPageOptions,
  close: boolean,
): { status: number; text: string } {
  const status = options.status ?? error.status;
  const { contentType, body } = renderError(error, status, options);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-request-id': options.requestId,
    ...(close ? { connection: 'close' } : {}),
    ...options.headers,
  };
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return { status, text: `${head}\r\n${body}` };
}

function renderError(
  error: HelixError,
  status: number,
  options: ErrorPageOptions,
): { contentType: string; body: string } {
  return prefersJson(options.accept)
    ? { contentType: 'application/json; charset=utf-8', body: JSON.stringify(error.toJSON()) }
    : { contentType: 'text/html; charset=utf-8', body: renderHtml(status, error, options.requestId) };
}

function renderHtml(status: number, error: HelixError, requestId: string): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const reason =
    typeof error.details?.reason === 'string' ? `<p>${escapeHtml(error.details.reason)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}
code{background:#f2f2f2;padding:0 .3em;border-radius:3px}small{color:#777}</style></head>
<body><h1>${title}</h1><p>${escapeHtml(error.message)}</p>${reason}
<p><small>Code <code>${error.code}</code> &middot; request <code>${escapeHtml(requestId)}</code></small></p>
</body></html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
