import { fieldValue, hasStrayControl, tokenPattern } from './raw-request-head.ts';

/**
 * Reads an upstream's HTTP/1.x response for the fast path: the head is parsed and
 * rewritten, the body is relayed byte for byte (chunked framing included), so only the
 * framing has to be followed to know where the response ends.
 */
export interface RawResponseHead {
  status: number;
  reason: string;
  /** [name, value, ...] as the upstream sent them. */
  rawHeaders: string[];
  headLength: number;
  framing: Framing;
  /** Body bytes for `length` framing. */
  contentLength: number;
  /** The upstream connection can carry another request after this response. */
  reusable: boolean;
  /** Lower-cased tokens of the Connection header(s): hop-by-hop names among them. */
  connectionTokens: string[];
  /** The Keep-Alive header's value (`timeout=N`), if any. */
  keepAlive: string | undefined;
}

/** How the end of the body is found: none, a byte count, chunked framing, or the upstream closing. */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

/** The upstream broke HTTP/1.1 framing; its connection cannot be trusted any more. */
export class UpstreamProtocolError extends Error {
  override name = 'UpstreamProtocolError';
}

/** Response heads longer than this are refused (as a broken upstream). */
const maxHeadBytes = 64 * 1024;
const statusLinePattern = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;

/** The head at the start of `buffer`, `undefined` while incomplete; throws on a malformed one. */
export function readRawResponseHead(buffer: Buffer, requestMethod: string): RawResponseHead | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) {
    if (buffer.length > maxHeadBytes) throw new UpstreamProtocolError('response head too large');
    return undefined;
  }
  const text = buffer.toString('latin1', 0, end);
  if (hasStrayControl(text)) throw new UpstreamProtocolError('control character in the response head');
  const lines = text.split('\r\n');
  const statusLine = statusLinePattern.exec(lines[0]!);
  if (statusLine === null) throw new UpstreamProtocolError('malformed status line');
  const minor = statusLine[1];
  const status = Number(statusLine[2]);
  const rawHeaders: string[] = [];
  let lengths: string | undefined;
  let chunked = false;
  let transferEncoded = false;
  const connectionTokens: string[] = [];
  let keepAlive: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!tokenPattern.test(name)) throw new UpstreamProtocolError('malformed header line');
    const value = fieldValue(line, colon + 1);
    rawHeaders.push(name, value);
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (lengths !== undefined && lengths !== value) throw new UpstreamProtocolError('conflicting lengths');
      lengths = value;
    } else if (lower === 'transfer-encoding') {
      transferEncoded = true;
      chunked = value.toLowerCase().split(',').pop()?.trim() === 'chunked';
    } else if (lower === 'connection') {
      for (const token of value.split(',')) connectionTokens.push(token.trim().toLowerCase());
    } else if (lower === 'keep-alive') keepAlive ??= value;
  }
  if (lengths !== undefined && !/^\d{1,15}$/.test(lengths)) throw new UpstreamProtocolError('bad length');
  const contentLength = Number(lengths ?? 0);
  let framing: Framing;
  // RFC 9112 6.3: no body for HEAD, 1xx, 204 and 304; Transfer-Encoding wins over a length.
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (transferEncoded) framing = chunked ? 'chunked' : 'close';
  else if (lengths !== undefined) framing = contentLength === 0 ? 'none' : 'length';
  else framing = 'close';
  const persistent =
    !connectionTokens.includes('close') && (minor === '1' || connectionTokens.includes('keep-alive'));
  return {
    status,
    reason: statusLine[3] ?? '',
    rawHeaders,
    headLength: end + 4,
    framing,
    contentLength: framing === 'length' ? contentLength : 0,
    reusable: framing !== 'close' && persistent,
    connectionTokens,
    keepAlive,
  };
}

const CR = 13;
const LF = 10;

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
