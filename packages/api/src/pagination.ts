import { HelixError } from '@helixstack/sdk';

/** Ids sort by creation time, so the last id of a page is the whole cursor. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && parsed.after.length <= 64) return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new HelixError('HLX_INVALID_CURSOR');
}

/** Callers fetch limit + 1 rows; the extra row only tells whether there is a next page. */
export function toPage<T extends { id: string }, R>(
  rows: T[],
  limit: number,
  present: (row: T) => R,
): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(present),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
