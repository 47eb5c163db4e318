import {
  copyRanges,
  piecesLength,
  rangesLength,
  type TextPieces,
  writeLatin1,
  writePieces,
} from './head-bytes.ts';
import type { RawRequestHead } from './raw-request-head.ts';
import type { RawResponseHead } from './raw-response.ts';

/**
 * The request head sent upstream, as one buffer: the request line (origin-form), the
 * client's lines that pass on copied as they are, then `added` (the router's header
 * lines) and the blank line.
 */
export function upstreamRequestBytes(
  source: Buffer,
  head: RawRequestHead,
  path: string,
  added: TextPieces,
): Buffer {
  const line = head.url === path ? undefined : `${head.method} ${path} HTTP/1.1\r\n`;
  const lineLength = line === undefined ? head.requestLineLength : line.length;
  const out = Buffer.allocUnsafe(lineLength + rangesLength(head.passOn) + piecesLength(added) + 2);
  let at = line === undefined ? source.copy(out, 0, 0, lineLength) : writeLatin1(out, line, 0);
  at = copyRanges(source, head.passOn, out, at);
  at = writePieces(out, added, at);
  writeLatin1(out, '\r\n', at);
  return out;
}

/**
 * The response head sent to the client, as one buffer: an HTTP/1.1 status line with the
 * upstream's code and reason, the upstream's lines that pass on, `added` and the blank
 * line, followed by `body` (the first body bytes, so that both leave in one write).
 */
export function clientResponseBytes(
  source: Buffer,
  head: RawResponseHead,
  added: TextPieces,
  body: Buffer | undefined,
): Buffer {
  // "HTTP/1.x NNN" is 12 bytes; the reason and its space are optional upstream, not here.
  const reason = head.statusLineLength > 14 ? source.subarray(12, head.statusLineLength) : undefined;
  const lineLength = reason === undefined ? 15 : 12 + reason.length;
  const bodyLength = body === undefined ? 0 : body.length;
  const out = Buffer.allocUnsafe(
    lineLength + rangesLength(head.passOn) + piecesLength(added) + 2 + bodyLength,
  );
  writeLatin1(out, 'HTTP/1.1', 0);
  source.copy(out, 8, 8, 12);
  let at = reason === undefined ? writeLatin1(out, ' \r\n', 12) : 12 + reason.copy(out, 12);
  at = copyRanges(source, head.passOn, out, at);
  at = writePieces(out, added, at);
  at = writeLatin1(out, '\r\n', at);
  if (body !== undefined) body.copy(out, at);
  return out;
}
