import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, openDatabase } from '@helixstack/db';
import { createTestPostgresDatabase } from '@helixstack/db/testing';
import { JobQueue } from './queue.ts';
import { waitFor } from './test-support.ts';
import { Worker } from './worker.ts';

/** Each handle has its own connection pool, as separate worker processes would. */
describe('job queue shared by several connections on postgres', () => {
  let database: { url: string; drop(): Promise<void> };
  const handles: DatabaseHandle[] = [];
  before(async () => {
    database = await createTestPostgresDatabase();
    for (let i = 0; i < 5; i++) handles.push(await openDatabase({ databaseUrl: database.url }));
  });
  after(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await database.drop();
  });

  test('claims that race for one key let exactly one job run', async () => {
    const queues = handles.slice(1).map((handle) => new JobQueue(handle.db));
    const enqueuer = new JobQueue(handles[0]!.db);
    for (let i = 0; i < 8; i++) await enqueuer.enqueue({ kind: 'build', concurrencyKey: 'hot' });
    for (let round = 0; round < 4; round++) {
      const claims = await Promise.all(
        queues.map((queue, i) => queue.claim({ workerId: `racer-${i}`, kinds: ['build'], leaseMs: 60_000 })),
      );
      const winners = claims.filter((job) => job !== null);
      assert.equal(winners.length, 1, `round ${round}`);
      await queues[claims.indexOf(winners[0]!)]!.complete(winners[0]!.id, winners[0]!.leaseOwner!);
    }
  });

  test('4 workers drain 40 jobs over 8 keys: each runs once, never two of a key at once', async () => {
    const enqueuer = new JobQueue(handles[0]!.db);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const job = await enqueuer.enqueue({ kind: 'drain', concurrencyKey: `key-${i % 8}`, payload: { i } });
      ids.push(job.id);
    }

    // One counter orders every start and end, whichever worker records it.
    const events: { key: string; jobId: string; edge: 'start' | 'end'; worker: string }[] = [];
    const errors: unknown[] = [];
    const workers = handles.slice(1).map(
      (handle, n) =>
        new Worker({
          queue: new JobQueue(handle.db),
          workerId: `drain-${n}`,
          kinds: ['drain'],
          leaseMs: 10_000,
          pollMs: 20,
          concurrency: 2,
          onError: (error) => errors.push(error),
          handler: async (job) => {
            events.push({ key: job.concurrencyKey, jobId: job.id, edge: 'start', worker: `drain-${n}` });
            await sleep(2 + Math.floor(Math.random() * 10));
            events.push({ key: job.concurrencyKey, jobId: job.id, edge: 'end', worker: `drain-${n}` });
          },
        }),
    );
    for (const worker of workers) worker.start();
    try {
      await waitFor(
        'all 40 jobs to succeed',
        async () => {
          const done = await enqueuer.list({ state: 'succeeded', limit: 1000 });
          return done.filter((job) => job.kind === 'drain').length === 40 ? true : undefined;
        },
        60_000,
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 1000 })));
    }

    assert.deepEqual(errors, []);
    const starts = events.filter((event) => event.edge === 'start').map((event) => event.jobId);
    assert.deepEqual([...starts].sort(), [...ids].sort(), 'every job started exactly once');
    for (let k = 0; k < 8; k++) {
      const ofKey = events.filter((event) => event.key === `key-${k}`);
      assert.equal(ofKey.length, 10);
      for (let i = 0; i < ofKey.length; i += 2) {
        assert.equal(ofKey[i]!.edge, 'start', `key-${k}: a job started while another of its key ran`);
        assert.equal(ofKey[i + 1]!.edge, 'end');
        assert.equal(ofKey[i + 1]!.jobId, ofKey[i]!.jobId);
      }
    }
    for (const id of ids) assert.equal((await enqueuer.get(id))?.attempts, 1);
    assert.ok(new Set(events.map((event) => event.worker)).size > 1, 'the work was shared');
  });
});
