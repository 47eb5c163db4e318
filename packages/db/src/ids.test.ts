import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from './ids.ts';

test('ids made in a row sort in creation order, even within one millisecond', () => {
  const ids = Array.from({ length: 200 }, () => newId('x', 1_700_000_000_000));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.match(ids[0]!, /^x_[0-9a-hjkmnp-tv-z]{26}$/);
});

test('a later millisecond sorts after an earlier one, and a clock going back does not reorder', () => {
  const earlier = newId('x', 1_800_000_000_000);
  assert.ok(newId('x', 1_800_000_000_001) > earlier);
  assert.ok(newId('x', 1_790_000_000_000) > earlier);
});
