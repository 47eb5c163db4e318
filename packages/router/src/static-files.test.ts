import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryRouteTable } from './route-table.ts';
import { send, startTestRouter, type TestRouter } from './testing.ts';

describe('static deployments', () => {
  let dir: string;
  let edge: TestRouter;
  const host = 'docs.localhost';
  const get = (path: string, headers: Record<string, string> = {}) =>
    send(edge.port, { host, path, headers });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'router-static-'));
    const root = join(dir, 'site');
    mkdirSync(join(root, 'guide'), { recursive: true });
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(root, 'app.3f9a2c1b.js'), 'console.log(1)');
    writeFileSync(join(root, 'style.css'), 'body{}');
    writeFileSync(join(root, 'guide', 'index.html'), '<h1>guide</h1>');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(join(root, 'style.css'), join(root, 'alias.css'));
    const routes = new MemoryRouteTable([
      [host, { kind: 'static', deploymentId: 'dpl_s', projectId: 'prj_s', root }],
    ]);
    edge = await startTestRouter(routes);
  });
  after(async () => {
    await edge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('files are served with their content type and cache policy', async () => {
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.equal(home.body, '<h1>home</h1>');
    assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(home.headers['cache-control'], 'public, max-age=0, must-revalidate');

    const script = await get('/app.3f9a2c1b.js');
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');

    const css = await get('/style.css?v=2');
    assert.equal(css.body, 'body{}');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['cache-control'], 'public, max-age=3600');
    assert.equal(css.headers['content-length'], '6');
  });

  test('ETag with If-None-Match answers 304 without a body', async () => {
    const first = await get('/style.css');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await get('/style.css', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal((await get('/style.css', { 'if-none-match': '"stale"' })).status, 200);
  });

  test('directories serve index.html, and get a trailing slash first', async () => {
    const redirect = await get('/guide?x=1');
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.location, '/guide/?x=1');
    const guide = await get('/guide/');
    assert.equal(guide.body, '<h1>guide</h1>');
  });

  test('HEAD answers the headers of GET without the body', async () => {
    const head = await send(edge.port, { host, path: '/style.css', method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '6');
    assert.equal(head.body, '');
    const post = await send(edge.port, { host, path: '/style.css', method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('nothing outside the root is served: "..", encoded dots, dot-files, symlinks out', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/guide/%2E%2E/%2e%2e/secret.txt',
      '/guide/..%2f..%2fsecret.txt',
      '/escape.txt',
      '/.env',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.body, /outside the root|SECRET/, path);
    }
    const inside = await get('/alias.css');
    assert.equal(inside.body, 'body{}', 'a symlink that stays inside the root is fine');
  });

  test('unknown paths are 404, with the site 404.html when it has one', async () => {
    const plain = await get('/missing', { accept: 'application/json' });
    assert.equal(plain.status, 404);
    assert.equal((JSON.parse(plain.body) as { error: { code: string } }).error.code, 'HLX_NOT_FOUND');
    assert.equal((await get('/empty/')).status, 404, 'a directory without index.html');

    const root = join(dir, 'site');
    writeFileSync(join(root, '404.html'), '<h1>lost</h1>');
    try {
      const custom = await get('/missing');
      assert.equal(custom.status, 404);
      assert.equal(custom.body, '<h1>lost</h1>');
      assert.equal(custom.headers['content-type'], 'text/html; charset=utf-8');
    } finally {
      unlinkSync(join(root, '404.html'));
    }
  });
});
