import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryRouteTable, type RouteTarget } from './route-table.ts';
import {
  CollectingAccessSink,
  closedPort,
  parseEcho,
  send,
  startEchoUpstream,
  startTestRouter,
  type TestRouter,
  type TestUpstream,
} from './testing.ts';

function target(deploymentId: string, ...ports: number[]): RouteTarget {
  return {
    kind: 'upstream',
    deploymentId,
    projectId: 'prj_shop',
    upstreams: ports.map((port) => ({ host: '127.0.0.1', port })),
  };
}

describe('routing outcomes', () => {
  let a: TestUpstream;
  let b: TestUpstream;
  let routes: MemoryRouteTable;
  let edge: TestRouter;
  const access = new CollectingAccessSink();

  before(async () => {
    [a, b] = await Promise.all([startEchoUpstream('a'), startEchoUpstream('b')]);
    routes = new MemoryRouteTable();
    edge = await startTestRouter(routes, { access });
  });
  after(async () => {
    await edge.close();
    await Promise.all([a.close(), b.close()]);
  });

  test('an unknown host is a 404 page for browsers and JSON for API clients', async () => {
    const html = await send(edge.port, {
      host: 'nope.localhost',
      headers: { accept: 'text/html,*/*;q=0.8' },
    });
    assert.equal(html.status, 404);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.body, /HLX_ROUTE_UNKNOWN_HOST/);
    assert.match(html.body, new RegExp(String(html.headers['x-request-id'])));

    const json = await send(edge.port, { host: 'nope.localhost', headers: { accept: 'application/json' } });
    assert.equal(json.status, 404);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const body = JSON.parse(json.body) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'HLX_ROUTE_UNKNOWN_HOST');
    assert.ok(body.error.message.length > 0);

    await new Promise((resolve) => setImmediate(resolve));
    const record = access.records.find((r) => r.requestId === json.headers['x-request-id']);
    assert.equal(record?.status, 404);
    assert.equal(record?.deploymentId, '');
  });

  test('an upstream that refuses connections is a 502 HLX_UPSTREAM_DOWN', async () => {
    routes.set('down.localhost', target('dpl_down', await closedPort()));
    const response = await send(edge.port, {
      host: 'down.localhost',
      headers: { accept: 'application/json' },
    });
    assert.equal(response.status, 502);
    assert.equal((JSON.parse(response.body) as { error: { code: string } }).error.code, 'HLX_UPSTREAM_DOWN');
  });

  test('an unavailable target answers its status, with Retry-After for 503', async () => {
    routes.set('sleeping.localhost', {
      kind: 'unavailable',
      reason: 'The deployment is starting.',
      status: 503,
      retryAfterSeconds: 3,
    });
    routes.set('broken.localhost', { kind: 'unavailable', reason: 'The build failed.', status: 502 });
    const sleeping = await send(edge.port, {
      host: 'sleeping.localhost',
      headers: { accept: 'application/json' },
    });
    assert.equal(sleeping.status, 503);
    assert.equal(sleeping.headers['retry-after'], '3');
    const body = JSON.parse(sleeping.body) as { error: { code: string; details: { reason: string } } };
    assert.equal(body.error.code, 'HLX_UPSTREAM_UNAVAILABLE');
    assert.equal(body.error.details.reason, 'The deployment is starting.');

    const broken = await send(edge.port, { host: 'broken.localhost' });
    assert.equal(broken.status, 502);
    assert.equal(broken.headers['retry-after'], undefined);
    assert.match(broken.body, /The build failed\./);
    assert.match(broken.body, /HLX_UPSTREAM_FAILED/);
  });

  test('requests rotate round-robin over the upstreams of a target', async () => {
    routes.set('rr.localhost', target('dpl_rr', a.port, b.port));
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(parseEcho(await send(edge.port, { host: 'rr.localhost' })).name);
    assert.deepEqual(names, ['a', 'b', 'a', 'b']);
  });

  test('switching an alias during concurrent traffic never fails a request', async () => {
    const toA = { 'live.localhost': target('dpl_a', a.port) };
    const toB = { 'live.localhost': target('dpl_b', b.port) };
    routes.replaceAll(toA);
    let flip = false;
    const switcher = setInterval(() => {
      flip = !flip;
      routes.replaceAll(flip ? toB : toA);
    }, 1);
    const seen = new Set<string>();
    try {
      for (let wave = 0; wave < 10; wave++) {
        const responses = await Promise.all(
          Array.from({ length: 20 }, () => send(edge.port, { host: 'live.localhost' })),
        );
        for (const response of responses) {
          assert.equal(response.status, 200, response.body);
          seen.add(parseEcho(response).name);
        }
        routes.replaceAll(wave % 2 === 0 ? toB : toA);
      }
    } finally {
      clearInterval(switcher);
    }
    assert.deepEqual([...seen].sort(), ['a', 'b']);
  });

  test('the kept-alive pool of an upstream is closed once it leaves the table', {
    timeout: 10_000,
  }, async () => {
    routes.replaceAll({ 'pool.localhost': target('dpl_a', a.port) });
    let closed!: () => void;
    const upstreamSocketClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    a.server.once('connection', (socket) => socket.once('close', () => closed()));
    // Force a fresh upstream connection so the listener above sees it.
    routes.replaceAll({});
    routes.replaceAll({ 'pool.localhost': target('dpl_a', a.port) });
    assert.equal((await send(edge.port, { host: 'pool.localhost' })).status, 200);
    routes.replaceAll({ 'pool.localhost': target('dpl_b', b.port) });
    await upstreamSocketClosed;
    assert.equal(parseEcho(await send(edge.port, { host: 'pool.localhost' })).name, 'b');
  });
});
