import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { logEvents, parseNdjson } from './ndjson.ts';
import { collect } from './paginate.ts';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

describe('parseNdjson', () => {
  test('joins a line split across chunks, including inside a multi-byte character', async () => {
    const euro = Buffer.from('{"text":"€"}\n');
    const values = await collect(
      parseNdjson(chunks('{"a":', '1}\n{"b"', ':2}\n', euro.subarray(0, 10), euro.subarray(10))),
    );
    assert.deepEqual(values, [{ a: 1 }, { b: 2 }, { text: '€' }]);
  });

  test('reads a last line without newline and skips blank lines', async () => {
    assert.deepEqual(await collect(parseNdjson(chunks('\n{"a":1}\n\n', '{"b":2}'))), [{ a: 1 }, { b: 2 }]);
  });

  test('a line that is not JSON is an HLX_INTERNAL error', async () => {
    const error = await collect(parseNdjson(chunks('{"a":1}\nnot json\n'))).catch((e) => e);
    assert.ok(error instanceof HelixError);
    assert.equal(error.code, 'HLX_INTERNAL');
  });

  test('logEvents keeps log, state and ping events and skips unknown types', async () => {
    const events = await collect(
      logEvents(
        parseNdjson(chunks('{"type":"ping"}\n{"type":"metrics"}\n{"type":"state","state":"READY"}\n')),
      ),
    );
    assert.deepEqual(
      events.map((event) => event.type),
      ['ping', 'state'],
    );
  });
});
