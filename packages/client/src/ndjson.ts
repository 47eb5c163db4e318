import { HelixError } from '@helixstack/sdk';
import type { LogEvent } from './deployment-types.ts';

const knownTypes = new Set(['log', 'state', 'ping']);

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new HelixError(
      'HLX_INTERNAL',
      `The server sent a log stream line that is not JSON: ${line.slice(0, 80)}`,
    );
  }
}

/**
 * Splits a byte stream into JSON values, one per line. A line may arrive across several chunks
 * (or a multi-byte character across two); the last line needs no newline. Blank lines are skipped.
 */
export async function* parseNdjson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') yield parseLine(line);
      newline = pending.indexOf('\n');
    }
  }
  const last = (pending + decoder.decode()).trim();
  if (last !== '') yield parseLine(last);
}

/** Keeps the events this client understands; a newer server's other types are skipped. */
export async function* logEvents(values: AsyncIterable<unknown>): AsyncGenerator<LogEvent> {
  for await (const value of values) {
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && knownTypes.has(type)) yield value as LogEvent;
  }
}
