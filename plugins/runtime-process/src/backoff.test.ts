import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDelay, quickCrashCount, restartDelay } from './backoff.ts';
import { resolveOptions } from './options.ts';

const policy = resolveOptions({ stateDir: '/unused' }).restart;

test('restart delays double from 500 ms and stop at 30 s', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => restartDelay(policy, n));
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test('a process that stayed up 30 s starts the crash count over', () => {
  assert.equal(quickCrashCount(policy, 0, 100), 1);
  assert.equal(quickCrashCount(policy, 2, 29_999), 3);
  assert.equal(quickCrashCount(policy, 5, 30_000), 1);
});

test('delays read as users expect', () => {
  assert.equal(formatDelay(500), '500 ms');
  assert.equal(formatDelay(1500), '1.5 s');
  assert.equal(formatDelay(30_000), '30 s');
});
