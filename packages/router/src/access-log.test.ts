import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AccessRecord, BatchingAccessSink } from './access-log.ts';

function record(path: string): AccessRecord {
  return {
    time: 0,
    host: 'shop.localhost',
    deploymentId: 'dpl_a',
    projectId: 'prj_a',
    method: 'GET',
    path,
    status: 200,
    durationMs: 1,
    bytesIn: 10,
    bytesOut: 20,
    requestId: 'r1',
  };
}

describe('BatchingAccessSink', () => {
  test('record never calls flush on the spot; full batches are flushed soon after', async () => {
    const batches: AccessRecord[][] = [];
    const sink = new BatchingAccessSink({ flush: (batch) => void batches.push(batch), batchSize: 3 });
    for (let i = 0; i < 7; i++) sink.record(record(`/${i}`));
    assert.equal(batches.length, 0, 'nothing flushed synchronously');
    await new Promise((resolve) => setImmediate(resolve));
    await sink.flush();
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [3, 3, 1],
    );
    assert.deepEqual(
      batches.flat().map((r) => r.path),
      ['/0', '/1', '/2', '/3', '/4', '/5', '/6'],
    );
    await sink.close();
  });

  test('a partial batch is flushed after the interval', async () => {
    let flushed!: (records: AccessRecord[]) => void;
    const arrived = new Promise<AccessRecord[]>((resolve) => {
      flushed = resolve;
    });
    const sink = new BatchingAccessSink({ flush: (batch) => flushed(batch), batchSize: 100, intervalMs: 5 });
    sink.record(record('/only'));
    assert.equal((await arrived).length, 1);
    await sink.close();
  });

  test('when the buffer is full, records are dropped and counted instead of blocking', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stored: AccessRecord[] = [];
    const sink = new BatchingAccessSink({
      flush: async (batch) => {
        await blocked;
        stored.push(...batch);
      },
      batchSize: 2,
      maxBuffered: 4,
    });
    sink.record(record('/a'));
    sink.record(record('/b'));
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is stuck in a slow store; the buffer takes 4 more, then drops.
    for (let i = 0; i < 10; i++) sink.record(record(`/${i}`));
    assert.equal(sink.buffered, 4);
    assert.equal(sink.dropped, 6);
    release();
    await sink.close();
    assert.equal(stored.length, 6);
    sink.record(record('/late'));
    assert.equal(sink.dropped, 7, 'a closed sink drops');
  });

  test('a failing store loses its batch, is counted and reported, and the sink goes on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const sink = new BatchingAccessSink({
      flush: () => {
        calls++;
        if (calls === 1) throw new Error('store down');
      },
      batchSize: 1,
      onError: (error) => errors.push(error),
    });
    sink.record(record('/a'));
    await sink.flush();
    sink.record(record('/b'));
    await sink.flush();
    assert.equal(sink.failedBatches, 1);
    assert.equal(errors.length, 1);
    assert.equal(calls, 2);
    await sink.close();
  });
});
