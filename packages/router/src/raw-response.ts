import {
  bytesAre,
  bytesEqual,
  CR,
  connectionTokens,
  digitsValue,
  FieldNames,
  fieldNameLength,
  keepRange,
  LF,
  lineEnd,
  lineIncomplete,
  valueEnd,
  valueStart,
  withoutNamed,
} from './head-bytes.ts';
import { hopByHopResponse } from './proxy-http.ts';

/**
 * Reads an upstream's HTTP/1.x response for the fast path: the head is parsed and
 * rewritten, the body is relayed byte for byte (chunked framing included), so only the
 * framing has to be followed to know where the response ends.
 */
export interface RawResponseHead {
  status: number;
  headLength: number;
  /** Bytes of the status line, CRLF included. */
  statusLineLength: number;
  framing: Framing;
  /** Body bytes for `length` framing. */
  contentLength: number;
  /** The upstream connection can carry another request after this response. */
  reusable: boolean;
  /** The seconds of the Keep-Alive header's `timeout=N`, if any. */
  keepAliveSeconds: number | undefined;
  /** [start, end) byte ranges of the header lines relayed unchanged, CRLFs included. */
  passOn: number[];
}

/** How the end of the body is found: none, a byte count, chunked framing, or the upstream closing. */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

/** The upstream broke HTTP/1.1 framing; its connection cannot be trusted any more. */
export class UpstreamProtocolError extends Error {
  override name = 'UpstreamProtocolError';
}

/** Response heads longer than this are refused (as a broken upstream). */
const maxHeadBytes = 64 * 1024;

// Header kinds: PASS ones reach the client as they are (Content-Length too, unless the
// response also has Transfer-Encoding); the router sets the others itself.
const PASS = 0;
const CONTENT_LENGTH = 1;
const TRANSFER_ENCODING = 2;
const CONNECTION = 3;
const KEEP_ALIVE = 4;
/** Hop-by-hop (RFC 9110 7.6.1), and the id the router sets. */
const DROPPED = 5;

const names = new FieldNames([
  ['content-length', CONTENT_LENGTH],
  ['transfer-encoding', TRANSFER_ENCODING],
  ['connection', CONNECTION],
  ['keep-alive', KEEP_ALIVE],
  ...hopByHopResponse
    .filter((name) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name))
    .map((name) => [name, DROPPED] as const),
  ['x-request-id', DROPPED],
]);

/** The head at the start of `buffer`, `undefined` while incomplete; throws on a malformed one. */
export function readRawResponseHead(buffer: Buffer, requestMethod: string): RawResponseHead | undefined {
  const firstEnd = lineEnd(buffer, 0);
  if (firstEnd < 0) return notYet(buffer, firstEnd);
  if (!isStatusLine(buffer, firstEnd)) throw new UpstreamProtocolError('malformed status line');
  const minor = buffer[7]! - 0x30;
  const status = (buffer[9]! - 0x30) * 100 + (buffer[10]! - 0x30) * 10 + (buffer[11]! - 0x30);
  let passOn: number[] = [];
  let contentLength = -1;
  let transferEncoded = false;
  let chunked = false;
  const connection = { close: false, keepAlive: false, dropped: [] as string[] };
  let keepAliveSeconds: number | undefined;
  let headLength = 0;
  for (let start = firstEnd + 2; ; ) {
    const stop = lineEnd(buffer, start);
    if (stop < 0) return notYet(buffer, stop);
    if (stop === start) {
      headLength = stop + 2;
      break;
    }
    if (stop > maxHeadBytes) throw new UpstreamProtocolError('response head too large');
    const nameLength = fieldNameLength(buffer, start, stop);
    if (nameLength === -1) throw new UpstreamProtocolError('malformed header line');
    const kind = names.kind(buffer, start, nameLength);
    const next = stop + 2;
    if (kind <= CONTENT_LENGTH) keepRange(passOn, start, next);
    if (kind !== PASS && kind !== DROPPED) {
      const from = valueStart(buffer, start + nameLength, stop);
      const to = valueEnd(buffer, from, stop);
      if (kind === CONTENT_LENGTH) {
        const length = digitsValue(buffer, from, to);
        if (length === -1) throw new UpstreamProtocolError('bad length');
        if (contentLength !== -1 && contentLength !== length)
          throw new UpstreamProtocolError('conflicting lengths');
        contentLength = length;
      } else if (kind === TRANSFER_ENCODING) {
        transferEncoded = true;
        chunked = connectionTokens(buffer.toString('latin1', from, to)).pop() === 'chunked';
      } else if (kind === KEEP_ALIVE) keepAliveSeconds ??= timeoutSeconds(buffer, from, to);
      else readConnection(connection, buffer, from, to);
    }
    start = next;
  }
  // With Transfer-Encoding a length is wrong by definition (RFC 9112 6.3): it is not sent on.
  if (transferEncoded && contentLength !== -1) connection.dropped.push('content-length');
  if (connection.dropped.length > 0) passOn = withoutNamed(buffer, passOn, connection.dropped);
  let framing: Framing;
  // RFC 9112 6.3: no body for HEAD, 1xx, 204 and 304; Transfer-Encoding wins over a length.
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (transferEncoded) framing = chunked ? 'chunked' : 'close';
  else if (contentLength !== -1) framing = contentLength === 0 ? 'none' : 'length';
  else framing = 'close';
  return {
    status,
    headLength,
    statusLineLength: firstEnd + 2,
    framing,
    contentLength: framing === 'length' ? contentLength : 0,
    reusable: framing !== 'close' && !connection.close && (minor === 1 || connection.keepAlive),
    keepAliveSeconds,
    passOn,
  };
}

/** A head cut short by the buffer's end: undefined (read on) unless it is too long already. */
function notYet(buffer: Buffer, lineResult: number): undefined {
  if (lineResult !== lineIncomplete)
    throw new UpstreamProtocolError('control character in the response head');
  if (buffer.length > maxHeadBytes) throw new UpstreamProtocolError('response head too large');
  return undefined;
}

/** Notes the tokens of a Connection header: close, keep-alive, and the fields it names. */
function readConnection(
  connection: { close: boolean; keepAlive: boolean; dropped: string[] },
  buffer: Buffer,
  from: number,
  to: number,
): void {
  if (bytesAre(buffer, from, to, 'keep-alive')) {
    connection.keepAlive = true; // the usual value: no string made
    return;
  }
  for (const token of connectionTokens(buffer.toString('latin1', from, to))) {
    if (token === 'close') connection.close = true;
    else if (token === 'keep-alive') connection.keepAlive = true;
    else if (token !== '') connection.dropped.push(token);
  }
}

/** N of a Keep-Alive value `timeout=N[, ...]`, else undefined. */
function timeoutSeconds(buffer: Buffer, from: number, to: number): number | undefined {
  const prefix = 'timeout='.length;
  if (bytesAre(buffer, from, from + prefix, 'timeout=')) {
    let stop = from + prefix;
    while (stop < to && buffer[stop] !== 0x2c) stop++;
    const seconds = digitsValue(buffer, from + prefix, valueEnd(buffer, from + prefix, stop));
    if (seconds !== -1) return seconds;
  }
  const match = /timeout=(\d{1,9})/i.exec(buffer.toString('latin1', from, to));
  return match === null ? undefined : Number(match[1]);
}

/** `HTTP/1.0` or `HTTP/1.1`, a space, three digits, then the end or a space and the reason. */
function isStatusLine(buffer: Buffer, end: number): boolean {
  if (end < 12 || !bytesEqual(buffer, 0, 'HTTP/1.')) return false;
  const minor = buffer[7];
  if ((minor !== 0x30 && minor !== 0x31) || buffer[8] !== 0x20) return false;
  for (let i = 9; i < 12; i++) if (buffer[i]! < 0x30 || buffer[i]! > 0x39) return false;
  return end === 12 || buffer[12] === 0x20;
}

/** Follows chunked framing across chunks to find where the body ends; relays nothing itself. */
export class ChunkedEnd {
  #state: 'size' | 'extension' | 'size-lf' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'trailer-lf' =
    'size';
  #size = 0;
  #sizeDigits = 0;
  #remaining = 0;
  /** After the last chunk: the trailer line being read is still empty (an empty one ends the body). */
  #lineEmpty = true;
  done = false;

  /** How many bytes of `chunk` from `start` belong to the body; throws on broken framing. */
  take(chunk: Buffer, start: number): number {
    let i = start;
    while (i < chunk.length && !this.done) {
      if (this.#state === 'data') {
        const step = Math.min(this.#remaining, chunk.length - i);
        i += step;
        this.#remaining -= step;
        if (this.#remaining === 0) this.#state = 'data-cr';
        continue;
      }
      this.#step(chunk[i]!);
      i++;
    }
    return i - start;
  }

  #step(byte: number): void {
    switch (this.#state) {
      case 'size': {
        const digit = hexValue(byte);
        if (digit >= 0 && this.#sizeDigits < 13) {
          this.#size = this.#size * 16 + digit;
          this.#sizeDigits++;
        } else if (this.#sizeDigits > 0 && (byte === 0x3b || byte === 0x20 || byte === 0x09)) {
          this.#state = 'extension';
        } else if (this.#sizeDigits > 0 && byte === CR) this.#state = 'size-lf';
        else throw new UpstreamProtocolError('bad chunk size');
        return;
      }
      case 'extension':
        if (byte === CR) this.#state = 'size-lf';
        else if (byte === LF || byte === 0) throw new UpstreamProtocolError('bad chunk extension');
        return;
      case 'size-lf':
        if (byte !== LF) throw new UpstreamProtocolError('bad chunk line');
        if (this.#size === 0) {
          this.#lineEmpty = true;
          this.#state = 'trailer';
        } else {
          this.#remaining = this.#size;
          this.#state = 'data';
        }
        this.#size = 0;
        this.#sizeDigits = 0;
        return;
      case 'data-cr':
        if (byte !== CR) throw new UpstreamProtocolError('chunk longer than its size');
        this.#state = 'data-lf';
        return;
      case 'data-lf':
        if (byte !== LF) throw new UpstreamProtocolError('bad chunk end');
        this.#state = 'size';
        return;
      case 'trailer':
        if (byte === CR) this.#state = 'trailer-lf';
        else if (byte === LF || byte === 0) throw new UpstreamProtocolError('bad trailer');
        else this.#lineEmpty = false;
        return;
      case 'trailer-lf':
        if (byte !== LF) throw new UpstreamProtocolError('bad trailer line');
        if (this.#lineEmpty) this.done = true;
        this.#lineEmpty = true;
        this.#state = 'trailer';
        return;
      default:
        return;
    }
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}
