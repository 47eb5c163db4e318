import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryRouteTable, type RouteTarget, upstreamOrigin } from './route-table.ts';

function upstream(deploymentId: string, ...ports: number[]): RouteTarget {
  return {
    kind: 'upstream',
    deploymentId,
    projectId: 'prj_1',
    upstreams: ports.map((port) => ({ host: '127.0.0.1', port })),
  };
}

describe('MemoryRouteTable', () => {
  test('matches hostnames case-insensitively, without port or trailing dot', () => {
    const table = new MemoryRouteTable();
    const target = upstream('dpl_a', 3001);
    table.set('Shop.Localhost.', target);
    assert.equal(table.resolve('shop.localhost'), target);
    assert.equal(table.resolve('SHOP.localhost:8080'), target);
    assert.equal(table.resolve('other.localhost'), undefined);
    assert.equal(table.delete('shop.LOCALHOST'), true);
    assert.equal(table.resolve('shop.localhost'), undefined);
    assert.equal(table.delete('shop.localhost'), false);
  });

  test('replaceAll swaps every route at once and accepts a map or a record', () => {
    const table = new MemoryRouteTable([['a.localhost', upstream('dpl_a', 3001)]]);
    table.replaceAll({ 'B.localhost': upstream('dpl_b', 3002) });
    assert.equal(table.resolve('a.localhost'), undefined);
    assert.equal(table.resolve('b.localhost')?.deploymentId, 'dpl_b');
    table.replaceAll(new Map([['c.localhost', upstream('dpl_c', 3003)]]));
    assert.equal(table.size, 1);
    assert.deepEqual(
      [...table.entries()].map(([host]) => host),
      ['c.localhost'],
    );
  });

  test('reports an upstream origin only once no target references it', () => {
    const table = new MemoryRouteTable();
    const removed: string[] = [];
    table.onUpstreamsRemoved((origins) => removed.push(...origins));
    const shared = upstream('dpl_a', 3001);
    table.set('shop.localhost', shared);
    table.set('shop-git-main.localhost', shared);
    table.delete('shop.localhost');
    assert.deepEqual(removed, [], 'the branch alias still uses it');
    table.set('shop-git-main.localhost', upstream('dpl_b', 3002));
    assert.deepEqual(removed, ['http://127.0.0.1:3001']);
    table.replaceAll({ 'shop.localhost': upstream('dpl_c', 3003) });
    assert.deepEqual(removed, ['http://127.0.0.1:3001', 'http://127.0.0.1:3002']);
  });

  test('unsubscribed listeners hear nothing more', () => {
    const table = new MemoryRouteTable([['a.localhost', upstream('dpl_a', 3001)]]);
    let calls = 0;
    const unsubscribe = table.onUpstreamsRemoved(() => calls++);
    unsubscribe();
    table.replaceAll({});
    assert.equal(calls, 0);
  });

  test('IPv6 upstream origins are bracketed', () => {
    assert.equal(upstreamOrigin({ host: '::1', port: 80 }), 'http://[::1]:80');
    assert.equal(upstreamOrigin({ host: 'localhost', port: 80 }), 'http://localhost:80');
  });
});
