import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type DatabaseHandle, openDatabase } from '@helixstack/db';
import { createTestPostgresDatabase } from '@helixstack/db/testing';
import { JobQueue } from './queue.ts';
import { waitFor } from './test-support.ts';
import { Worker } from './worker.ts';

const holdJob = fileURLToPath(new URL('./fixtures/hold-job.ts', import.meta.url));

/** Resolves with the first stdout line of the child that starts with `prefix`. */
function lineStartingWith(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${stderr}`)));
  });
}

describe('a worker process killed mid-job on postgres', () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  before(async () => {
    database = await createTestPostgresDatabase();
    handle = await openDatabase({ databaseUrl: database.url });
  });
  after(async () => {
    await handle.close();
    await database.drop();
  });

  test('its job is taken by another worker once the lease expires', async () => {
    const queue = new JobQueue(handle.db);
    const job = await queue.enqueue({ kind: 'build', concurrencyKey: 'app:production' });
    const child = spawn(process.execPath, [holdJob, database.url, 'doomed'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const ran: number[] = [];
    const survivor = new Worker({
      queue,
      workerId: 'survivor',
      kinds: ['build'],
      leaseMs: 5000,
      pollMs: 50,
      concurrency: 1,
      handler: async (claimed) => {
        ran.push(claimed.attempts);
      },
    });
    try {
      assert.equal(await lineStartingWith(child, 'running '), `running ${job.id}`);
      survivor.start();
      // Its heartbeats hold the 1 s lease: the survivor cannot take the job meanwhile.
      await sleep(1500);
      const held = await queue.get(job.id);
      assert.equal(held?.leaseOwner, 'doomed');
      assert.equal(held.state, 'running');

      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      const [, signal] = await exited;
      assert.equal(signal, 'SIGKILL');

      const done = await waitFor('the survivor to finish the job', async () => {
        const current = await queue.get(job.id);
        return current?.state === 'succeeded' ? current : undefined;
      });
      assert.equal(done.attempts, 2);
      assert.deepEqual(ran, [2]);
    } finally {
      child.kill('SIGKILL');
      await survivor.stop({ timeoutMs: 1000 });
    }
  });
});
