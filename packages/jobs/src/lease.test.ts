import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@helixstack/db';
import { drivers, openTestDatabase } from '@helixstack/db/testing';
import { JobQueue, leaseExpiredError } from './queue.ts';
import { waitFor } from './test-support.ts';
import { Worker } from './worker.ts';

const kinds = ['build'];

for (const driver of drivers) {
  describe(`job leases on ${driver}`, () => {
    let handle: DatabaseHandle;
    let queue: JobQueue;
    const workers: Worker[] = [];
    before(async () => {
      handle = await openTestDatabase(driver);
      queue = new JobQueue(handle.db);
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.stop({ timeoutMs: 0 })));
    });
    after(() => handle.close());

    test('a heartbeat moves the lease forward', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'renew' });
      const claimed = await queue.claim({ workerId: 'w1', kinds, leaseMs: 1000 });
      await queue.heartbeat(job.id, 'w1', 3_600_000);
      const renewed = await queue.get(job.id);
      assert.ok(renewed?.leaseExpiresAt && claimed?.leaseExpiresAt);
      assert.ok(renewed.leaseExpiresAt.getTime() > claimed.leaseExpiresAt.getTime() + 3_000_000);
      await queue.complete(job.id, 'w1');
    });

    test('after its lease expired and was reaped, the old owner gets HLX_JOB_LEASE_LOST', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'lost' });
      await queue.claim({ workerId: 'w1', kinds, leaseMs: 50 });
      await sleep(100);
      assert.deepEqual(await queue.reapExpired(), [job.id]);
      const reaped = await queue.get(job.id);
      assert.equal(reaped?.state, 'queued');
      assert.equal(reaped.lastError, leaseExpiredError);
      assert.equal(reaped.leaseOwner, null);

      await assert.rejects(queue.heartbeat(job.id, 'w1', 1000), { code: 'HLX_JOB_LEASE_LOST' });
      await assert.rejects(queue.complete(job.id, 'w1'), { code: 'HLX_JOB_LEASE_LOST' });
      const again = await queue.claim({ workerId: 'w2', kinds, leaseMs: 60_000 });
      assert.equal(again?.id, job.id);
      await assert.rejects(queue.heartbeat(job.id, 'w1', 1000), { code: 'HLX_JOB_LEASE_LOST' });
      await queue.complete(job.id, 'w2');
    });

    test('an expired lease with no attempts left fails the job', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'last', maxAttempts: 1 });
      await queue.claim({ workerId: 'w1', kinds, leaseMs: 50 });
      await sleep(100);
      assert.deepEqual(await queue.reapExpired(), [job.id]);
      const failed = await queue.get(job.id);
      assert.equal(failed?.state, 'failed');
      assert.equal(failed.lastError, leaseExpiredError);
    });

    test('the job of a worker killed mid-run is reclaimed after its lease expires and completes', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'killed' });
      // The first worker claims and then goes silent: no heartbeat, no completion.
      const taken = await queue.claim({ workerId: 'killed-worker', kinds, leaseMs: 300 });
      assert.equal(taken?.id, job.id);

      const ran: number[] = [];
      const survivor = new Worker({
        queue,
        workerId: 'survivor',
        kinds,
        leaseMs: 5000,
        pollMs: 50,
        concurrency: 1,
        handler: async (claimed) => {
          ran.push(claimed.attempts);
        },
      });
      workers.push(survivor);
      survivor.start();

      const done = await waitFor('the job to succeed', async () => {
        const current = await queue.get(job.id);
        return current?.state === 'succeeded' ? current : undefined;
      });
      assert.equal(done.attempts, 2);
      assert.deepEqual(ran, [2]);
      assert.equal(done.leaseOwner, null);
    });
  });
}
