/**
 * Byte-level helpers for the fast path's HTTP heads. Heads are read and rewritten as bytes
 * (header lines that pass through are copied, never decoded), because turning every head
 * into strings and back cost more than relaying it.
 */

export const CR = 13;
export const LF = 10;
const SP = 32;
const HTAB = 9;

/** RFC 9110 tchar: the bytes of methods and field names. */
const tchar = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  tchar[char.charCodeAt(0)] = 1;
}

export function isTokenByte(byte: number): boolean {
  return tchar[byte] === 1;
}

/** `lineEnd` when the buffer ends before the line does. */
export const lineIncomplete = -2;

/**
 * The index of the CR that ends the line starting at `from`; -1 when the line holds a
 * control character other than tab, or a CR or LF outside a CRLF; `lineIncomplete` when
 * the buffer ends first. Heads are read line by line with it, which also finds their end.
 */
export function lineEnd(buffer: Buffer, from: number): number {
  const length = buffer.length;
  for (let i = from; i < length; i++) {
    const byte = buffer[i]!;
    if (byte >= SP ? byte !== 0x7f : byte === HTAB) continue;
    if (byte !== CR) return -1;
    if (i + 1 === length) return lineIncomplete;
    return buffer[i + 1] === LF ? i : -1;
  }
  return lineIncomplete;
}

/** Whether the bytes at `start` are exactly `text` (ASCII). */
export function bytesEqual(buffer: Buffer, start: number, text: string): boolean {
  if (buffer.length - start < text.length) return false;
  for (let i = 0; i < text.length; i++) if (buffer[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The length of the field name at `start` (up to its colon), or -1 when it is no token. */
export function fieldNameLength(buffer: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && tchar[buffer[i]!] === 1) i++;
  return i > start && i < end && buffer[i] === 0x3a ? i - start : -1;
}

/** [start, end) of the field value after the colon at `colon`, without blanks around it. */
export function valueStart(buffer: Buffer, colon: number, end: number): number {
  let i = colon + 1;
  while (i < end && isBlank(buffer[i]!)) i++;
  return i;
}

export function valueEnd(buffer: Buffer, start: number, end: number): number {
  let i = end;
  while (i > start && isBlank(buffer[i - 1]!)) i--;
  return i;
}

function isBlank(byte: number): boolean {
  return byte === SP || byte === HTAB;
}

/**
 * Known field names looked up by their bytes, case-insensitively, without making a string.
 * Names are lowercase letters and '-' (OR-ing 0x20 folds only letters onto what they can match).
 */
export class FieldNames {
  readonly #byLength: (readonly [string, number])[][] = [];

  constructor(names: Iterable<readonly [string, number]>) {
    for (const entry of names) {
      const sameLength = this.#byLength[entry[0].length] ?? [];
      sameLength.push(entry);
      this.#byLength[entry[0].length] = sameLength;
    }
  }

  /** The kind of the name at [start, start + length), or 0 when it is not known. */
  kind(buffer: Buffer, start: number, length: number): number {
    const candidates = this.#byLength[length];
    if (candidates === undefined) return 0;
    for (const [name, kind] of candidates) if (bytesAre(buffer, start, start + length, name)) return kind;
    return 0;
  }
}

/** Whether [start, end) spells `word` (lowercase letters, digits, '-' and '='), in any case. */
export function bytesAre(buffer: Buffer, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((buffer[start + i]! | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** The number [start, end) spells when it is 1 to 15 decimal digits, else -1. */
export function digitsValue(buffer: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = buffer[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Appends the line [start, end) to `ranges`, joining it to the previous range when adjacent. */
export function keepRange(ranges: number[], start: number, end: number): void {
  const last = ranges.length - 1;
  if (last > 0 && ranges[last] === start) ranges[last] = end;
  else ranges.push(start, end);
}

/** The ranges less the header lines whose (lowercase) name is in `names`: Connection-listed fields. */
export function withoutNamed(buffer: Buffer, ranges: number[], names: readonly string[]): number[] {
  const kept: number[] = [];
  for (let r = 0; r < ranges.length; r += 2) {
    for (let start = ranges[r]!; start < ranges[r + 1]!; ) {
      const next = buffer.indexOf(LF, start) + 1;
      const colon = buffer.indexOf(0x3a, start);
      const name = buffer.toString('latin1', start, colon).toLowerCase();
      if (!names.includes(name)) keepRange(kept, start, next);
      start = next;
    }
  }
  return kept;
}

/** Total bytes of the ranges. */
export function rangesLength(ranges: number[]): number {
  let total = 0;
  for (let r = 0; r < ranges.length; r += 2) total += ranges[r + 1]! - ranges[r]!;
  return total;
}

/** Copies the ranges of `source` into `target` at `offset`; returns the offset after them. */
export function copyRanges(source: Buffer, ranges: number[], target: Buffer, offset: number): number {
  let at = offset;
  // Head lines are short: a loop costs less than a native copy per range.
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]!; i < ranges[r + 1]!; i++) target[at++] = source[i]!;
  }
  return at;
}

/** Writes latin1 text at `offset`; returns the offset after it. A loop beats a native call for short heads. */
export function writeLatin1(target: Buffer, text: string, offset: number): number {
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

/**
 * Header lines as pieces of latin1 text, written one after another: joining them first
 * would build a string only to flatten it again.
 */
export type TextPieces = readonly string[];

export function piecesLength(pieces: TextPieces): number {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}

export function writePieces(target: Buffer, pieces: TextPieces, offset: number): number {
  let at = offset;
  for (const piece of pieces) at = writeLatin1(target, piece, at);
  return at;
}

/** Connection header tokens, lowercase. */
export function connectionTokens(value: string): string[] {
  return value.split(',').map((token) => token.trim().toLowerCase());
}
