import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { type DatabaseHandle, jobs } from '@helixstack/db';
import { drivers, openTestDatabase } from '@helixstack/db/testing';
import { HelixError } from '@helixstack/sdk';
import { eq } from 'drizzle-orm';
import { JobStoppedError } from './job-lease.ts';
import { JobQueue } from './queue.ts';
import { waitFor } from './test-support.ts';
import type { Job } from './types.ts';
import { type JobHandler, Worker, type WorkerOptions } from './worker.ts';

const hour = 3_600_000;

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

for (const driver of drivers) {
  describe(`job worker on ${driver}`, () => {
    let handle: DatabaseHandle;
    let queue: JobQueue;
    const workers: Worker[] = [];
    const errors: unknown[] = [];
    before(async () => {
      handle = await openTestDatabase(driver);
      queue = new JobQueue(handle.db, { backoff: () => 0 });
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.stop({ timeoutMs: 0 })));
      errors.length = 0;
    });
    after(() => handle.close());

    /** The poll interval is an hour: only the in-process waker can start these jobs in time. */
    function startWorker(handler: JobHandler, options: Partial<WorkerOptions> = {}): Worker {
      const worker = new Worker({
        queue,
        workerId: `worker-${workers.length + 1}`,
        kinds: ['build'],
        leaseMs: 5000,
        pollMs: hour,
        concurrency: 2,
        handler,
        onError: (error) => errors.push(error),
        ...options,
      });
      workers.push(worker);
      worker.start();
      return worker;
    }

    const stateOf = (id: string, state: Job['state']) =>
      waitFor(`job ${id} to be ${state}`, async () => {
        const job = await queue.get(id);
        return job?.state === state ? job : undefined;
      });

    test('a job enqueued in this process is claimed at once, run and completed', async () => {
      const seen: Job[] = [];
      startWorker(async (job) => {
        seen.push(job);
      });
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'wake', payload: { n: 1 } });
      const done = await stateOf(job.id, 'succeeded');
      assert.equal(done.attempts, 1);
      assert.deepEqual(
        seen.map((run) => [run.id, run.payload]),
        [[job.id, { n: 1 }]],
      );
      assert.deepEqual(errors, []);
    });

    test('an error marked retryable is retried; any other error fails the job', async () => {
      let calls = 0;
      startWorker(async (job) => {
        if (job.payload.final) throw new Error('the build script is broken');
        calls++;
        if (calls < 3) {
          throw new HelixError('HLX_UNAVAILABLE', 'registry unreachable', { retryable: true });
        }
      });
      const flaky = await queue.enqueue({ kind: 'build', concurrencyKey: 'flaky', maxAttempts: 3 });
      const done = await stateOf(flaky.id, 'succeeded');
      assert.equal(done.attempts, 3);
      assert.equal(calls, 3);

      const broken = await queue.enqueue({
        kind: 'build',
        concurrencyKey: 'broken',
        payload: { final: true },
      });
      const failed = await stateOf(broken.id, 'failed');
      assert.equal(failed.attempts, 1);
      assert.equal(failed.lastError, 'the build script is broken');
    });

    test('canceling a running job aborts the handler signal and marks it canceled', async () => {
      let started: (() => void) | undefined;
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      let reason: unknown;
      startWorker(
        async (_job, { signal }) => {
          started?.();
          await untilAborted(signal);
          reason = signal.reason;
          signal.throwIfAborted();
        },
        { leaseMs: 300 },
      );
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'cancel' });
      await running;
      await queue.cancel(job.id);
      const canceled = await stateOf(job.id, 'canceled');
      assert.ok(reason instanceof JobStoppedError);
      assert.equal(reason.reason, 'canceled');
      assert.equal(canceled.lastError, null);
    });

    test('heartbeats hold the lease of a job that runs longer than the lease', async () => {
      let release: (() => void) | undefined;
      const finish = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The lease is short next to the wait, yet long enough to outlast a busy CI machine's stalls.
      startWorker(() => finish, { leaseMs: 1000, workerId: 'slow' });
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'long' });
      await stateOf(job.id, 'running');
      // A second worker polls all the while; it must never get the job.
      startWorker(async () => assert.fail('the job was taken from its owner'), {
        pollMs: 20,
        workerId: 'other',
      });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal((await queue.get(job.id))?.leaseOwner, 'slow');
      release?.();
      const done = await stateOf(job.id, 'succeeded');
      assert.equal(done.attempts, 1);
    });

    test('a lost lease aborts the handler, which then leaves the job alone', async () => {
      let reason: unknown;
      const stopped = new Promise<void>((resolve) => {
        startWorker(
          async (_job, { signal }) => {
            await untilAborted(signal);
            reason = signal.reason;
            resolve();
          },
          { leaseMs: 300, workerId: 'loser' },
        );
      });
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'stolen' });
      await stateOf(job.id, 'running');
      // As if the lease had expired and another worker had claimed the job.
      await handle.db.update(jobs).set({ leaseOwner: 'thief' }).where(eq(jobs.id, job.id));
      await stopped;
      assert.ok(reason instanceof JobStoppedError);
      assert.equal(reason.reason, 'lease-lost');
      const after = await queue.get(job.id);
      assert.equal(after?.state, 'running');
      assert.equal(after.leaseOwner, 'thief');
      await queue.complete(job.id, 'thief');
    });

    test('stop() waits for a handler that finishes in time', async () => {
      let release: (() => void) | undefined;
      const worker = startWorker(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
      );
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'graceful' });
      // The row says running once claimed; the handler itself starts a moment later.
      for (let i = 0; i < 1000 && !release; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(release, 'the handler started');
      const stopping = worker.stop({ timeoutMs: 10_000 });
      release();
      await stopping;
      assert.equal((await queue.get(job.id))?.state, 'succeeded');
    });

    test('stop() gives jobs still running back to the queue, where another worker takes them', async () => {
      let started = false;
      let aborted = false;
      const first = startWorker(async (_job, { signal }) => {
        started = true;
        await untilAborted(signal);
        aborted = true;
      });
      const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'handover' });
      for (let i = 0; i < 1000 && !started; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(started, 'the handler started');
      await first.stop({ timeoutMs: 50 });
      assert.equal(aborted, true);
      const released = await queue.get(job.id);
      assert.equal(released?.state, 'queued');
      assert.equal(released.attempts, 0, 'a shutdown does not use up an attempt');
      assert.equal(released.leaseOwner, null);
      assert.deepEqual(first.activeJobIds, []);

      const ran: number[] = [];
      startWorker(
        async (claimed) => {
          ran.push(claimed.attempts);
        },
        { workerId: 'successor' },
      );
      await stateOf(job.id, 'succeeded');
      assert.deepEqual(ran, [1]);
    });
  });
}
