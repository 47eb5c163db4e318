import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '@helixstack/db';
import { drivers, openTestDatabase } from '@helixstack/db/testing';
import { JobQueue } from './queue.ts';
import { makeDue } from './test-support.ts';

const claimInput = { workerId: 'w1', kinds: ['build'], leaseMs: 60_000 };
const minute = 60_000;

for (const driver of drivers) {
  describe(`job retries on ${driver}`, () => {
    let handle: DatabaseHandle;
    let queue: JobQueue;
    const backoffCalls: number[] = [];
    before(async () => {
      handle = await openTestDatabase(driver);
      queue = new JobQueue(handle.db, {
        backoff: (attempts) => {
          backoffCalls.push(attempts);
          return attempts * minute;
        },
      });
    });
    after(() => handle.close());

    test('a retryable failure waits out its backoff, counts attempts, and fails at max_attempts', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'retry', maxAttempts: 3 });
      for (const attempt of [1, 2]) {
        const claimed = await queue.claim(claimInput);
        assert.equal(claimed?.id, job.id);
        assert.equal(claimed.attempts, attempt);
        const before = Date.now();
        const retried = await queue.fail(job.id, 'w1', `network down ${attempt}`, { retryable: true });
        assert.equal(retried.state, 'queued');
        assert.equal(retried.attempts, attempt);
        assert.equal(retried.lastError, `network down ${attempt}`);
        assert.equal(retried.leaseOwner, null);
        // The database clock may differ from ours a little; the backoff is whole minutes.
        const delay = retried.runAfter.getTime() - before;
        assert.ok(delay > attempt * minute - 5000 && delay < attempt * minute + 5000, `${delay}`);
        assert.equal(await queue.claim(claimInput), null, 'not claimable during the backoff');
        await makeDue(handle.db, job.id);
      }
      const last = await queue.claim(claimInput);
      assert.equal(last?.attempts, 3);
      const failed = await queue.fail(job.id, 'w1', 'network down 3', { retryable: true });
      assert.equal(failed.state, 'failed');
      assert.equal(failed.attempts, 3);
      assert.equal(failed.lastError, 'network down 3');
      assert.deepEqual(backoffCalls, [1, 2, 3]);
      assert.equal(await queue.claim(claimInput), null);
    });

    test('a failure that is not retryable ends the job at once', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'final' });
      await queue.claim(claimInput);
      const failed = await queue.fail(job.id, 'w1', 'HLX_BUILD: syntax error', { retryable: false });
      assert.equal(failed.state, 'failed');
      assert.equal(failed.attempts, 1);
      assert.equal(failed.lastError, 'HLX_BUILD: syntax error');
    });

    test('a retry frees the concurrency key for the next job of that key', async () => {
      const first = await queue.enqueue({ kind: 'build', concurrencyKey: 'shared' });
      const second = await queue.enqueue({ kind: 'build', concurrencyKey: 'shared' });
      await queue.claim(claimInput);
      await queue.fail(first.id, 'w1', 'flaky', { retryable: true });
      assert.equal((await queue.claim(claimInput))?.id, second.id);
      await queue.complete(second.id, 'w1');
      await makeDue(handle.db, first.id);
      assert.equal((await queue.claim(claimInput))?.id, first.id);
      await queue.complete(first.id, 'w1');
    });
  });
}
