import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exponentialBackoff } from './backoff.ts';

test('backoff doubles from 1 s, is capped at 60 s, and its jitter stays within half to all', () => {
  const low = exponentialBackoff({ random: () => 0 });
  const high = exponentialBackoff({ random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 7, 8, 20].map(low), [500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  assert.deepEqual([1, 2, 3, 4, 7, 8, 20].map(high), [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  const random = exponentialBackoff();
  for (let attempts = 1; attempts <= 10; attempts++) {
    const ceiling = Math.min(60_000, 1000 * 2 ** (attempts - 1));
    const delay = random(attempts);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${attempts}: ${delay}`);
  }
});
