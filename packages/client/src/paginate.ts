import { HelixError } from '@helixstack/sdk';
import type { Page } from './types.ts';

/**
 * Yields every item of a paginated list, fetching pages on demand by following nextCursor.
 * A server that hands back a cursor it already gave would loop forever, so that is an error.
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
    if (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new HelixError('HLX_INTERNAL', 'The server returned the same pagination cursor twice.');
      }
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}

/** Reads an async iterable to the end. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
