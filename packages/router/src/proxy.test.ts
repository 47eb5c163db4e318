import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MemoryRouteTable, type RouteTarget } from './route-table.ts';
import {
  CollectingAccessSink,
  parseEcho,
  send,
  startEchoUpstream,
  startTestRouter,
  startUpstream,
  type TestRouter,
  type TestUpstream,
} from './testing.ts';

function target(deploymentId: string, ...upstreams: TestUpstream[]): RouteTarget {
  return {
    kind: 'upstream',
    deploymentId,
    projectId: 'prj_shop',
    upstreams: upstreams.map((upstream) => ({ host: '127.0.0.1', port: upstream.port })),
  };
}

describe('proxying to upstreams', () => {
  let a: TestUpstream;
  let routes: MemoryRouteTable;
  let edge: TestRouter;
  const access = new CollectingAccessSink();

  before(async () => {
    a = await startEchoUpstream('a');
    routes = new MemoryRouteTable([['shop.localhost', target('dpl_a', a)]]);
    edge = await startTestRouter(routes, { access });
  });
  after(async () => {
    await edge.close();
    await a.close();
  });

  test('GET and POST reach the upstream with method, path, query and body', async () => {
    const get = await send(edge.port, { host: 'shop.localhost', path: '/items?page=2' });
    assert.equal(get.status, 200);
    assert.equal(get.headers['x-upstream'], 'a');
    assert.deepEqual(
      { method: parseEcho(get).method, url: parseEcho(get).url },
      { method: 'GET', url: '/items?page=2' },
    );
    const post = await send(edge.port, {
      host: 'Shop.Localhost:80',
      path: '/items',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"lamp"}',
    });
    assert.equal(parseEcho(post).method, 'POST');
    assert.equal(parseEcho(post).body, '{"name":"lamp"}');
    assert.equal(parseEcho(post).headers['content-type'], 'application/json');
  });

  test('sequential requests reuse one kept-alive upstream connection', async () => {
    const before = a.connections();
    for (let i = 0; i < 20; i++) {
      assert.equal((await send(edge.port, { host: 'shop.localhost' })).status, 200);
    }
    assert.ok(a.connections() - before <= 1, `${a.connections() - before} new upstream connections`);
  });

  test('forwarding headers: X-Forwarded-For appended, proto and host set, request id kept or made', async () => {
    const kept = await send(edge.port, {
      host: 'shop.localhost:8080',
      headers: {
        'x-forwarded-for': '203.0.113.7',
        'x-request-id': 'req-abc.123',
        'x-forwarded-proto': 'https',
      },
    });
    const seen = parseEcho(kept).headers;
    assert.equal(seen['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(seen['x-forwarded-proto'], 'http', 'the client cannot claim https');
    assert.equal(seen['x-forwarded-host'], 'shop.localhost:8080');
    assert.equal(seen.host, 'shop.localhost:8080');
    assert.equal(seen['x-request-id'], 'req-abc.123');
    assert.equal(kept.headers['x-request-id'], 'req-abc.123');

    const made = await send(edge.port, {
      host: 'shop.localhost',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    const id = parseEcho(made).headers['x-request-id'];
    assert.match(String(id), /^[0-9a-f-]{36}$/);
    assert.equal(made.headers['x-request-id'], id);
    assert.equal(parseEcho(made).headers['x-forwarded-for'], '127.0.0.1');
  });

  test('hop-by-hop request headers, and those named in Connection, are not forwarded', async () => {
    const response = await send(edge.port, {
      host: 'shop.localhost',
      headers: {
        connection: 'keep-alive, x-hop',
        'x-hop': 'secret',
        'keep-alive': 'timeout=5',
        te: 'trailers',
      },
    });
    const seen = parseEcho(response).headers;
    assert.equal(seen['x-hop'], undefined);
    assert.equal(seen['keep-alive'], undefined);
    assert.equal(seen.te, undefined);
  });

  test('HEAD is proxied and answered without a body', async () => {
    const response = await send(edge.port, { host: 'shop.localhost', method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-upstream'], 'a');
    assert.equal(response.body, '');
  });

  test('each request is recorded with its deployment, status, sizes and request id', async () => {
    access.records.length = 0;
    const response = await send(edge.port, {
      host: 'shop.localhost',
      path: '/logged?x=1',
      method: 'POST',
      body: 'hi',
    });
    await new Promise((resolve) => setImmediate(resolve));
    const record = access.records.find((r) => r.path === '/logged?x=1');
    assert.ok(record, 'a record for the request');
    assert.equal(record.host, 'shop.localhost');
    assert.equal(record.deploymentId, 'dpl_a');
    assert.equal(record.projectId, 'prj_shop');
    assert.equal(record.method, 'POST');
    assert.equal(record.status, 200);
    assert.equal(record.requestId, response.headers['x-request-id']);
    assert.ok(record.bytesIn > 2 && record.bytesOut > response.body.length);
    assert.ok(record.durationMs >= 0);
  });
});

describe('streaming', () => {
  test('a client that leaves stops the upstream response it was streaming', { timeout: 10_000 }, async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      // An endless stream: only the router aborting the request ends it.
      res.on('close', () => upstreamClosed());
    });
    const access = new CollectingAccessSink();
    const edge = await startTestRouter(
      new MemoryRouteTable([['sse.localhost', target('dpl_sse', upstream)]]),
      {
        access,
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const req = request(
          { port: edge.port, host: '127.0.0.1', headers: { host: 'sse.localhost' } },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', () => {});
        req.once('error', reject);
        req.end();
      });
      await closed;
      await edge.router.drained('dpl_sse');
      assert.equal(edge.router.inflight('dpl_sse'), 0);
    } finally {
      await edge.close();
      await upstream.close();
    }
  });

  test('a large body to a slow reader arrives whole (backpressure pauses and resumes)', {
    timeout: 10_000,
  }, async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = 64;
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-length': chunk.length * chunks });
      for (let i = 0; i < chunks; i++) res.write(chunk);
      res.end();
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['big.localhost', target('dpl_big', upstream)]]),
    );
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const req = request(
          { port: edge.port, host: '127.0.0.1', headers: { host: 'big.localhost' } },
          (res) => {
            let bytes = 0;
            res.once('data', () => {
              res.pause();
              setTimeout(() => res.resume(), 50);
            });
            res.on('data', (data: Buffer) => {
              bytes += data.length;
            });
            res.on('end', () => resolve(bytes));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(received, chunk.length * chunks);
    } finally {
      await edge.close();
      await upstream.close();
    }
  });

  test('the response body reaches the client before the upstream finishes it', {
    timeout: 10_000,
  }, async () => {
    let clientGotFirst!: () => void;
    const firstSeen = new Promise<void>((resolve) => {
      clientGotFirst = resolve;
    });
    const upstream = await startUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      await firstSeen;
      res.end('second');
    });
    const edge = await startTestRouter(new MemoryRouteTable([['s.localhost', target('dpl_s', upstream)]]));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(
          { port: edge.port, host: '127.0.0.1', headers: { host: 's.localhost' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.startsWith('first;')) clientGotFirst();
            });
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(body, 'first;second');
    } finally {
      await edge.close();
      await upstream.close();
    }
  });

  test('the request body reaches the upstream before the client finishes it', {
    timeout: 10_000,
  }, async () => {
    let upstreamGotFirst!: () => void;
    const firstArrived = new Promise<void>((resolve) => {
      upstreamGotFirst = resolve;
    });
    const upstream = await startUpstream((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        text += chunk;
        if (text.startsWith('part1;')) upstreamGotFirst();
      });
      req.on('end', () => res.end(text));
    });
    const edge = await startTestRouter(new MemoryRouteTable([['u.localhost', target('dpl_u', upstream)]]));
    try {
      const echoed = await new Promise<string>((resolve, reject) => {
        const req = request(
          { port: edge.port, host: '127.0.0.1', method: 'PUT', headers: { host: 'u.localhost' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.write('part1;');
        firstArrived.then(() => req.end('part2'), reject);
      });
      assert.equal(echoed, 'part1;part2');
    } finally {
      await edge.close();
      await upstream.close();
    }
  });
});
