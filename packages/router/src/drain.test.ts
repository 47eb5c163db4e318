import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryRouteTable } from './route-table.ts';
import { send, startTestRouter, startUpstream, type TestUpstream } from './testing.ts';

/** An upstream whose /slow requests wait until the test releases them. */
async function startSlowUpstream(): Promise<{
  upstream: TestUpstream;
  arrived: Promise<void>;
  release: () => void;
}> {
  let arrivedResolve!: () => void;
  const arrived = new Promise<void>((resolve) => {
    arrivedResolve = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const upstream = await startUpstream(async (req, res) => {
    if (req.url === '/slow') {
      arrivedResolve();
      await released;
    }
    res.end(`done ${req.url}`);
  });
  return { upstream, arrived, release };
}

function routesTo(upstream: TestUpstream, deploymentId: string): MemoryRouteTable {
  return new MemoryRouteTable([
    [
      'app.localhost',
      {
        kind: 'upstream',
        deploymentId,
        projectId: 'prj',
        upstreams: [{ host: '127.0.0.1', port: upstream.port }],
      },
    ],
  ]);
}

describe('draining', () => {
  test('in-flight count rises during a slow request and drained() resolves after it ends', {
    timeout: 10_000,
  }, async () => {
    const { upstream, arrived, release } = await startSlowUpstream();
    const edge = await startTestRouter(routesTo(upstream, 'dpl_old'));
    try {
      assert.equal(edge.router.inflight('dpl_old'), 0);
      await edge.router.drained('dpl_old');
      const slow = send(edge.port, { host: 'app.localhost', path: '/slow' });
      await arrived;
      assert.equal(edge.router.inflight('dpl_old'), 1);
      let drained = false;
      const waiting = edge.router.drained('dpl_old').then(() => {
        drained = true;
      });
      await send(edge.port, { host: 'app.localhost', path: '/fast' });
      assert.equal(drained, false, 'still one request in flight');
      release();
      assert.equal((await slow).body, 'done /slow');
      await waiting;
      assert.equal(edge.router.inflight('dpl_old'), 0);
    } finally {
      await edge.close();
      await upstream.close();
    }
  });

  test('close() lets a request in flight finish, then stops', { timeout: 10_000 }, async () => {
    const { upstream, arrived, release } = await startSlowUpstream();
    const edge = await startTestRouter(routesTo(upstream, 'dpl_a'));
    try {
      const slow = send(edge.port, { host: 'app.localhost', path: '/slow' });
      await arrived;
      let closed = false;
      const closing = edge.router.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closed, false, 'close waits for the request');
      release();
      const response = await slow;
      assert.equal(response.status, 200);
      assert.equal(response.body, 'done /slow');
      await closing;
      await assert.rejects(send(edge.port, { host: 'app.localhost', path: '/after' }), /ECONNREFUSED/);
    } finally {
      await upstream.close();
    }
  });
});
