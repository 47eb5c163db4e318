/** The process boundary, passed in so that commands never touch process.* directly. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  stdinIsTty: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    stdinIsTty: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows under upper-case headers, each column as wide as its widest cell. */
export function printTable(io: Io, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const table = [headers.map((header) => header.toUpperCase()), ...rows];
  const widths = headers.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  for (const row of table) {
    const cells = row.map((cell, column) =>
      column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
    );
    io.out(`${cells.join('  ')}\n`);
  }
}

/** Prints a list as a table, or a short line when it is empty. */
export function printList<T>(
  io: Io,
  items: readonly T[],
  columns: Record<string, (item: T) => string>,
  emptyMessage: string,
): void {
  if (items.length === 0) {
    io.out(`${emptyMessage}\n`);
    return;
  }
  const headers = Object.keys(columns);
  const cells = Object.values(columns);
  printTable(
    io,
    headers,
    items.map((item) => cells.map((cell) => cell(item))),
  );
}

/** "2025-01-02 03:04" in UTC, or "-" for a missing date. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.slice(0, 16).replace('T', ' ');
}
