import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '@helixstack/db';
import { drivers, openTestDatabase } from '@helixstack/db/testing';
import type { HelixError } from '@helixstack/sdk';
import { projectEnvironmentKey } from './keys.ts';
import { JobQueue } from './queue.ts';
import { createDeployment } from './test-support.ts';

const lease = { kinds: ['build'], leaseMs: 60_000 };

for (const driver of drivers) {
  describe(`job queue on ${driver}`, () => {
    let handle: DatabaseHandle;
    let queue: JobQueue;
    before(async () => {
      handle = await openTestDatabase(driver);
      queue = new JobQueue(handle.db);
    });
    after(() => handle.close());

    test('enqueue, claim and complete', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'basic', payload: { ref: 'main' } });
      assert.equal(job.state, 'queued');
      assert.equal(job.attempts, 0);
      assert.equal(job.maxAttempts, 3);

      const claimed = await queue.claim({ workerId: 'w1', ...lease });
      assert.equal(claimed?.id, job.id);
      assert.equal(claimed.state, 'running');
      assert.equal(claimed.attempts, 1);
      assert.equal(claimed.leaseOwner, 'w1');
      assert.deepEqual(claimed.payload, { ref: 'main' });
      assert.ok(claimed.leaseExpiresAt && claimed.leaseExpiresAt > new Date(Date.now() + 30_000));
      assert.equal(
        await queue.claim({ workerId: 'w2', ...lease }),
        null,
        'a running job is not claimed twice',
      );

      const done = await queue.complete(job.id, 'w1');
      assert.equal(done.state, 'succeeded');
      assert.equal(done.leaseOwner, null);
      assert.equal(done.leaseExpiresAt, null);
      assert.equal((await queue.get(job.id))?.state, 'succeeded');
    });

    test('claim takes the oldest due job of the kinds asked for', async () => {
      const deploy = await queue.enqueue({ kind: 'deploy', concurrencyKey: 'oldest-a' });
      const later = await queue.enqueue({
        kind: 'build',
        concurrencyKey: 'oldest-b',
        runAfter: new Date(Date.now() + 3_600_000),
      });
      const first = await queue.enqueue({ kind: 'build', concurrencyKey: 'oldest-c' });
      const second = await queue.enqueue({ kind: 'build', concurrencyKey: 'oldest-d' });

      assert.equal((await queue.claim({ workerId: 'w1', ...lease }))?.id, first.id);
      assert.equal((await queue.claim({ workerId: 'w1', ...lease }))?.id, second.id);
      assert.equal(await queue.claim({ workerId: 'w1', ...lease }), null, 'not before run_after');
      const other = await queue.claim({ workerId: 'w1', kinds: ['deploy', 'build'], leaseMs: 60_000 });
      assert.equal(other?.id, deploy.id);
      assert.equal((await queue.get(later.id))?.state, 'queued');
      for (const job of [first, second, deploy]) await queue.complete(job.id, 'w1');
      await queue.cancel(later.id);
    });

    test('one build per project environment: other environments build meanwhile', async () => {
      const production = projectEnvironmentKey('prj_1', 'env_production');
      const preview = projectEnvironmentKey('prj_1', 'env_preview');
      const first = await queue.enqueue({ kind: 'build', concurrencyKey: production });
      const second = await queue.enqueue({ kind: 'build', concurrencyKey: production });
      const other = await queue.enqueue({ kind: 'build', concurrencyKey: preview });
      assert.equal((await queue.claim({ workerId: 'w1', ...lease }))?.id, first.id);
      assert.equal((await queue.claim({ workerId: 'w2', ...lease }))?.id, other.id);
      assert.equal(await queue.claim({ workerId: 'w3', ...lease }), null);
      await queue.complete(first.id, 'w1');
      await queue.complete(other.id, 'w2');
      assert.equal((await queue.claim({ workerId: 'w3', ...lease }))?.id, second.id);
      await queue.complete(second.id, 'w3');
    });

    test('two jobs of one concurrency key never run at once', async () => {
      const a1 = await queue.enqueue({ kind: 'build', concurrencyKey: 'key-a' });
      const a2 = await queue.enqueue({ kind: 'build', concurrencyKey: 'key-a' });
      const b1 = await queue.enqueue({ kind: 'build', concurrencyKey: 'key-b' });

      assert.equal((await queue.claim({ workerId: 'w1', ...lease }))?.id, a1.id);
      const next = await queue.claim({ workerId: 'w2', ...lease });
      assert.equal(next?.id, b1.id, 'the second job of key-a waits; a job of another key is taken');
      assert.equal(await queue.claim({ workerId: 'w3', ...lease }), null);

      await queue.complete(a1.id, 'w1');
      assert.equal((await queue.claim({ workerId: 'w3', ...lease }))?.id, a2.id, 'the key is free again');
      await queue.complete(a2.id, 'w3');
      await queue.complete(b1.id, 'w2');
    });

    test('only the lease owner may heartbeat, complete or fail', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'owner' });
      await queue.claim({ workerId: 'owner-1', ...lease });
      for (const attempt of [
        () => queue.complete(job.id, 'intruder'),
        () => queue.fail(job.id, 'intruder', 'no', { retryable: true }),
        () => queue.canceled(job.id, 'intruder'),
        () => queue.heartbeat(job.id, 'intruder', 1000),
      ]) {
        await assert.rejects(attempt, (error: HelixError) => error.code === 'HLX_JOB_LEASE_LOST');
      }
      assert.equal((await queue.get(job.id))?.state, 'running');
      await queue.complete(job.id, 'owner-1');
      await assert.rejects(queue.complete(job.id, 'owner-1'), { code: 'HLX_JOB_LEASE_LOST' });
    });

    test('a queued job is canceled at once', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'cancel-queued' });
      const canceled = await queue.cancel(job.id);
      assert.equal(canceled.state, 'canceled');
      assert.equal(await queue.claim({ workerId: 'w1', ...lease }), null);
      assert.equal((await queue.cancel(job.id)).state, 'canceled', 'canceling twice is a no-op');
      await assert.rejects(queue.cancel('job_unknown'), { code: 'HLX_NOT_FOUND' });
    });

    test('a running job is asked to stop at its next heartbeat', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'cancel-running' });
      await queue.claim({ workerId: 'w1', ...lease });
      assert.deepEqual(await queue.heartbeat(job.id, 'w1', 60_000), { canceled: false });

      const requested = await queue.cancel(job.id);
      assert.equal(requested.state, 'running', 'the worker still holds it');
      assert.equal(requested.cancelRequested, true);
      assert.deepEqual(await queue.heartbeat(job.id, 'w1', 60_000), { canceled: true });

      const stopped = await queue.canceled(job.id, 'w1');
      assert.equal(stopped.state, 'canceled');
      assert.equal((await queue.cancel(job.id)).state, 'canceled');
    });

    test('a failure after a cancellation request ends canceled, not retried', async () => {
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'cancel-fail' });
      await queue.claim({ workerId: 'w1', ...lease });
      await queue.cancel(job.id);
      const failed = await queue.fail(job.id, 'w1', 'interrupted', { retryable: true });
      assert.equal(failed.state, 'canceled');
      assert.equal(failed.lastError, 'interrupted');
    });

    test('get and list by deployment and state', async () => {
      const deploymentId = await createDeployment(handle.db);
      const first = await queue.enqueue({ kind: 'build', concurrencyKey: 'list', deploymentId });
      const second = await queue.enqueue({ kind: 'release', concurrencyKey: 'list', deploymentId });
      await queue.enqueue({ kind: 'build', concurrencyKey: 'list-other' });
      await queue.cancel(second.id);

      const ofDeployment = await queue.list({ deploymentId });
      assert.deepEqual(
        ofDeployment.map((job) => job.id),
        [first.id, second.id],
      );
      assert.deepEqual(
        (await queue.list({ deploymentId, state: 'canceled' })).map((job) => job.id),
        [second.id],
      );
      assert.equal((await queue.list({ limit: 1 })).length, 1);
      assert.equal(await queue.get('job_unknown'), undefined);
      await assert.rejects(
        queue.enqueue({ kind: 'build', concurrencyKey: 'x', maxAttempts: 0 }),
        (error: HelixError) => error.code === 'HLX_VALIDATION',
      );
    });
  });
}
