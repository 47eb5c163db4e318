import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from './contracts/index.ts';
import { LogRing } from './log-ring.ts';

async function texts(lines: AsyncIterable<LogLine>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line.text);
  return all;
}

const never = new AbortController().signal;

test('a snapshot holds the newest `capacity` lines', async () => {
  const ring = new LogRing(3);
  for (let n = 1; n <= 10; n += 1) ring.push('stdout', `line ${n}`);
  assert.deepEqual(await texts(ring.read({}, never)), ['line 8', 'line 9', 'line 10']);
});

test('since skips older lines', async () => {
  const ring = new LogRing(10);
  ring.push('stdout', 'old');
  const future = new Date(Date.now() + 60_000).toISOString();
  assert.deepEqual(await texts(ring.read({ since: future }, never)), []);
});

test('a follower gets the backlog, then new lines, and finishes when the ring ends', async () => {
  const ring = new LogRing(10);
  ring.push('stdout', 'before');
  const seen = texts(ring.read({ follow: true }, never));
  ring.push('stderr', 'after');
  await new Promise((resolve) => setImmediate(resolve));
  ring.push('system', 'last');
  ring.end();
  assert.deepEqual(await seen, ['before', 'after', 'last']);
});

test('a follower stops when its signal aborts', async () => {
  const ring = new LogRing(10);
  const controller = new AbortController();
  const seen = texts(ring.read({ follow: true }, controller.signal));
  ring.push('stdout', 'one');
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  assert.deepEqual(await seen, ['one']);
});

test('a follower that falls behind is told how many lines it missed', async () => {
  const ring = new LogRing(2);
  const iterator = ring.read({ follow: true }, never)[Symbol.asyncIterator]();
  ring.push('stdout', 'a');
  assert.equal((await iterator.next()).value?.text, 'a');
  for (const text of ['b', 'c', 'd', 'e', 'f']) ring.push('stdout', text);
  const next = await iterator.next();
  assert.equal(next.value?.stream, 'system');
  assert.match(next.value?.text ?? '', /^3 lines skipped/);
  assert.equal((await iterator.next()).value?.text, 'e');
});
