import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, maxLineLength } from './line-splitter.ts';

test('chunks become whole lines as they arrive; CRLF and a last unterminated line are handled', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push('npm ');
  assert.deepEqual(lines, []);
  splitter.push('ci\r\nadded 3 packages\n\nnext');
  assert.deepEqual(lines, ['npm ci', 'added 3 packages', '']);
  splitter.end();
  assert.deepEqual(lines, ['npm ci', 'added 3 packages', '', 'next']);
});

test('a line longer than the limit is passed on in pieces, without waiting for its end', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push('x'.repeat(maxLineLength * 2 + 5));
  assert.deepEqual(
    lines.map((line) => line.length),
    [maxLineLength, maxLineLength],
  );
  splitter.push('\n');
  assert.deepEqual(
    lines.map((line) => line.length),
    [maxLineLength, maxLineLength, 5],
  );
});
