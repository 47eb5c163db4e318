import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from './line-splitter.ts';

function split(chunks: string[], maxLength = 100): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLength, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

test('lines split across chunks are joined, CRLF is trimmed, empty lines kept', () => {
  assert.deepEqual(split(['hel', 'lo\nwor', 'ld\r\n\nlast']), ['hello', 'world', '', 'last']);
});

test('a partial line waits for its end', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter(100, (line) => lines.push(line));
  splitter.push('no newline yet');
  assert.deepEqual(lines, []);
  splitter.push(' - now\n');
  assert.deepEqual(lines, ['no newline yet - now']);
});

test('a very long line is cut once and the rest of it dropped', () => {
  const lines = split(['x'.repeat(30), 'y'.repeat(30), 'z'.repeat(30), '\nnext\n'], 50);
  assert.equal(lines.length, 2);
  assert.equal(lines[0], `${'x'.repeat(30)}${'y'.repeat(20)} [line cut at 50 characters]`);
  assert.equal(lines[1], 'next');
});
