/** Longest line passed on as one; longer output is cut into pieces of this size. */
export const maxLineLength = 16 * 1024;

/**
 * Turns chunks of text into whole lines as they arrive ("\n" or "\r\n" end a line), so a
 * build log streams line by line instead of in arbitrary pieces or all at the end.
 */
export class LineSplitter {
  readonly #emit: (line: string) => void;
  #pending = '';

  constructor(emit: (line: string) => void) {
    this.#emit = emit;
  }

  push(chunk: string): void {
    const parts = (this.#pending + chunk).split('\n');
    this.#pending = parts.pop() ?? '';
    for (const part of parts) this.#line(part.endsWith('\r') ? part.slice(0, -1) : part);
    while (this.#pending.length > maxLineLength) {
      this.#emit(this.#pending.slice(0, maxLineLength));
      this.#pending = this.#pending.slice(maxLineLength);
    }
  }

  /** Emits what is left after the last newline. */
  end(): void {
    if (this.#pending !== '') this.#line(this.#pending);
    this.#pending = '';
  }

  #line(line: string): void {
    for (let start = 0; start < line.length || start === 0; start += maxLineLength) {
      this.#emit(line.slice(start, start + maxLineLength));
    }
  }
}
