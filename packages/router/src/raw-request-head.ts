/**
 * A strict reader of HTTP/1.1 request heads for the fast path. It accepts only the plain
 * shape almost every request has: a complete, well-formed head with no Transfer-Encoding,
 * Upgrade or Expect, and at most one valid Content-Length. Anything else is `unsupported`
 * and goes to Node's HTTP server, which implements the rest of the protocol (and its
 * answers to malformed requests), so the fast path never has to guess.
 */
export interface RawRequestHead {
  method: string;
  /** The request target as sent (origin-form or absolute-form). */
  url: string;
  /** [name, value, ...] as sent, like IncomingMessage.rawHeaders. */
  rawHeaders: string[];
  /** Bytes of the head, blank line included. */
  headLength: number;
  contentLength: number;
  /** The client asked to close the connection after this response. */
  close: boolean;
}

export const incomplete = 'incomplete';
export const unsupported = 'unsupported';

/** Heads longer than this go to Node's server, which answers 431 past its own limit. */
export const maxFastHeadBytes = 16 * 1024;

/** RFC 9110 tokens: methods and field names. */
export const tokenPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const targetPattern = /^[\x21-\x7e]+$/;
const digitsPattern = /^\d{1,15}$/;

export function readRawRequestHead(buffer: Buffer): RawRequestHead | typeof incomplete | typeof unsupported {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return buffer.length > maxFastHeadBytes ? unsupported : incomplete;
  if (end > maxFastHeadBytes) return unsupported;
  const text = buffer.toString('latin1', 0, end);
  if (hasStrayControl(text)) return unsupported;
  const lines = text.split('\r\n');
  const [method = '', url = '', version, extra] = lines[0]!.split(' ');
  if (extra !== undefined || version !== 'HTTP/1.1') return unsupported;
  if (!tokenPattern.test(method) || !targetPattern.test(url)) return unsupported;

  const rawHeaders: string[] = [];
  let contentLength: number | undefined;
  let hosts = 0;
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return unsupported;
    const name = line.slice(0, colon);
    if (!tokenPattern.test(name)) return unsupported;
    const value = fieldValue(line, colon + 1);
    rawHeaders.push(name, value);
    switch (name.toLowerCase()) {
      case 'host':
        hosts++;
        break;
      case 'content-length':
        if (contentLength !== undefined || !digitsPattern.test(value)) return unsupported;
        contentLength = Number(value);
        break;
      case 'connection': {
        const tokens = value
          .toLowerCase()
          .split(',')
          .map((token) => token.trim());
        if (tokens.includes('upgrade')) return unsupported;
        close ||= tokens.includes('close');
        break;
      }
      case 'transfer-encoding':
      case 'upgrade':
      case 'expect':
        return unsupported;
    }
  }
  if (hosts !== 1) return unsupported;
  return { method, url, rawHeaders, headLength: end + 4, contentLength: contentLength ?? 0, close };
}

/** Control characters other than tab, and CR or LF anywhere but in a CRLF line end. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
const strayControl = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;

/** Whether a head (or response head) holds a character no field may hold. */
export function hasStrayControl(text: string): boolean {
  return strayControl.test(text);
}

/** The field value after the colon at `start`, without its leading and trailing spaces and tabs. */
export function fieldValue(line: string, start: number): string {
  let from = start;
  let to = line.length;
  while (from < to && isBlank(line.charCodeAt(from))) from++;
  while (to > from && isBlank(line.charCodeAt(to - 1))) to--;
  return line.slice(from, to);
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}
