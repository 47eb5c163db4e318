/**
 * Turns a stream of text chunks into lines. A partial line waits for the rest; a line
 * longer than `maxLength` is cut there (marked) and the rest of it dropped, so one runaway
 * line cannot grow memory without bound.
 */
export class LineSplitter {
  readonly #maxLength: number;
  readonly #emit: (line: string) => void;
  #pending = '';
  #discarding = false;

  constructor(maxLength: number, emit: (line: string) => void) {
    this.#maxLength = maxLength;
    this.#emit = emit;
  }

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      this.#append(newline === -1 ? chunk.slice(start) : chunk.slice(start, newline));
      if (newline === -1) return;
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.#pending !== '') this.#finishLine();
    this.#discarding = false;
  }

  #append(piece: string): void {
    if (this.#discarding || piece === '') return;
    this.#pending += piece;
    if (this.#pending.length > this.#maxLength) {
      this.#emit(`${this.#pending.slice(0, this.#maxLength)} [line cut at ${this.#maxLength} characters]`);
      this.#pending = '';
      this.#discarding = true;
    }
  }

  #finishLine(): void {
    if (!this.#discarding)
      this.#emit(this.#pending.endsWith('\r') ? this.#pending.slice(0, -1) : this.#pending);
    this.#pending = '';
    this.#discarding = false;
  }
}
