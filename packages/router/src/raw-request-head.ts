import {
  bytesAre,
  bytesEqual,
  connectionTokens,
  digitsValue,
  FieldNames,
  fieldNameLength,
  isTokenByte,
  keepRange,
  lineEnd,
  lineIncomplete,
  valueEnd,
  valueStart,
  withoutNamed,
} from './head-bytes.ts';
import { hopByHopRequest } from './request-head.ts';

/**
 * A strict reader of HTTP/1.1 request heads for the fast path. It accepts only the plain
 * shape almost every request has: a complete, well-formed head with no Transfer-Encoding,
 * Upgrade or Expect, one Host and at most one valid Content-Length. Anything else is
 * `unsupported` and goes to Node's HTTP server, which implements the rest of the protocol
 * (and its answers to malformed requests), so the fast path never has to guess.
 *
 * It reads what the router needs and notes which header lines pass upstream as they are;
 * the same headers are dropped or replaced as on the fallback path (request-head.ts).
 */
export interface RawRequestHead {
  method: string;
  /** The request target as sent (origin-form or absolute-form). */
  url: string;
  /** Bytes of the head, blank line included. */
  headLength: number;
  /** Bytes of the request line, CRLF included. */
  requestLineLength: number;
  contentLength: number;
  /** The client asked to close the connection after this response. */
  close: boolean;
  host: string;
  accept: string | undefined;
  /** X-Request-Id as sent, not yet checked. */
  requestId: string | undefined;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
  forwardedHost: string | undefined;
  /** [start, end) byte ranges of the header lines forwarded unchanged, CRLFs included. */
  passOn: number[];
}

export const incomplete = 'incomplete';
export const unsupported = 'unsupported';

/** Heads longer than this go to Node's server, which answers 431 past its own limit. */
export const maxFastHeadBytes = 16 * 1024;

// Header kinds: PASS ones go upstream as they are; the others are read, then dropped or replaced.
const PASS = 0;
const HOST = 1;
const ACCEPT = 2;
const CONTENT_LENGTH = 3;
const REQUEST_ID = 4;
const FORWARDED_FOR = 5;
const FORWARDED_PROTO = 6;
const FORWARDED_HOST = 7;
const CONNECTION = 8;
/** Hop-by-hop: meaningful for one connection only (RFC 9110 7.6.1). */
const HOP_BY_HOP = 9;
/** Needs the rest of HTTP: left to Node's server. */
const UNSUPPORTED = 10;

const names = new FieldNames([
  ['host', HOST],
  ['accept', ACCEPT],
  ['content-length', CONTENT_LENGTH],
  ['x-request-id', REQUEST_ID],
  ['x-forwarded-for', FORWARDED_FOR],
  ['x-forwarded-proto', FORWARDED_PROTO],
  ['x-forwarded-host', FORWARDED_HOST],
  ['connection', CONNECTION],
  ...hopByHopRequest.map((name) => [name, HOP_BY_HOP] as const),
  ['transfer-encoding', UNSUPPORTED],
  ['upgrade', UNSUPPORTED],
  ['expect', UNSUPPORTED],
]);

export function readRawRequestHead(buffer: Buffer): RawRequestHead | typeof incomplete | typeof unsupported {
  // Request line: method SP origin-or-absolute-target SP HTTP/1.1
  const firstEnd = lineEnd(buffer, 0);
  if (firstEnd < 0) return firstEnd === lineIncomplete ? notYet(buffer) : unsupported;
  let i = 0;
  while (i < firstEnd && isTokenByte(buffer[i]!)) i++;
  const methodEnd = i;
  if (methodEnd === 0 || buffer[i] !== 0x20) return unsupported;
  i++;
  while (i < firstEnd && buffer[i]! > 0x20 && buffer[i]! < 0x7f) i++;
  const urlEnd = i;
  if (urlEnd === methodEnd + 1 || firstEnd - urlEnd !== 9 || !bytesEqual(buffer, urlEnd, ' HTTP/1.1'))
    return unsupported;

  const head: RawRequestHead = {
    method: buffer.toString('latin1', 0, methodEnd),
    url: buffer.toString('latin1', methodEnd + 1, urlEnd),
    headLength: 0,
    requestLineLength: firstEnd + 2,
    contentLength: 0,
    close: false,
    host: '',
    accept: undefined,
    requestId: undefined,
    forwardedFor: undefined,
    forwardedProto: undefined,
    forwardedHost: undefined,
    passOn: [],
  };
  let hosts = 0;
  let lengths = 0;
  const dropped: string[] = [];
  for (let start = firstEnd + 2; ; ) {
    const stop = lineEnd(buffer, start);
    if (stop < 0) return stop === lineIncomplete ? notYet(buffer) : unsupported;
    if (stop === start) {
      head.headLength = stop + 2;
      break;
    }
    if (stop > maxFastHeadBytes) return unsupported;
    const nameLength = fieldNameLength(buffer, start, stop);
    if (nameLength === -1) return unsupported;
    const kind = names.kind(buffer, start, nameLength);
    const next = stop + 2;
    if (kind <= CONTENT_LENGTH) keepRange(head.passOn, start, next);
    if (kind === UNSUPPORTED) return unsupported;
    if (kind !== PASS && kind !== HOP_BY_HOP) {
      const from = valueStart(buffer, start + nameLength, stop);
      const to = valueEnd(buffer, from, stop);
      if (kind === CONTENT_LENGTH) {
        head.contentLength = digitsValue(buffer, from, to);
        if (++lengths > 1 || head.contentLength === -1) return unsupported;
      } else if (kind === CONNECTION) {
        if (!readConnection(head, buffer, from, to, dropped)) return unsupported;
      } else {
        const value = buffer.toString('latin1', from, to);
        if (kind === HOST) {
          hosts++;
          head.host = value;
        } else if (kind === ACCEPT)
          head.accept = head.accept === undefined ? value : `${head.accept}, ${value}`;
        else if (kind === REQUEST_ID) head.requestId ??= value;
        else if (kind === FORWARDED_FOR)
          head.forwardedFor = head.forwardedFor === undefined ? value : `${head.forwardedFor}, ${value}`;
        else if (kind === FORWARDED_PROTO) head.forwardedProto ??= value;
        else if (kind === FORWARDED_HOST) head.forwardedHost ??= value;
      }
    }
    start = next;
  }
  if (hosts !== 1) return unsupported;
  if (dropped.length > 0) head.passOn = withoutNamed(buffer, head.passOn, dropped);
  return head;
}

/** A head still arriving: wait for more, unless it is already too long for the fast path. */
function notYet(buffer: Buffer): typeof incomplete | typeof unsupported {
  return buffer.length > maxFastHeadBytes ? unsupported : incomplete;
}

/** Notes the tokens of a Connection header; false when it asks for an upgrade. */
function readConnection(
  head: RawRequestHead,
  buffer: Buffer,
  from: number,
  to: number,
  dropped: string[],
): boolean {
  if (bytesAre(buffer, from, to, 'keep-alive')) return true; // the usual value: no string made
  for (const token of connectionTokens(buffer.toString('latin1', from, to))) {
    if (token === 'upgrade') return false;
    if (token === 'close') head.close = true;
    else if (token !== 'keep-alive' && token !== '') dropped.push(token);
  }
  return true;
}
