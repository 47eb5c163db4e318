import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { prefersJson } from './error-page.ts';
import { cacheControlOf, contentTypeOf, etagMatches, etagOf, hasContentHash } from './static-headers.ts';

describe('static caching rules', () => {
  test('content hashes in bundler file names are recognised', () => {
    assert.ok(hasContentHash('app.3f9a2c1b.js'));
    assert.ok(hasContentHash('chunk-0a1b2c3d4e.css'));
    assert.ok(hasContentHash('index-BxY2aQ1z.js'));
    assert.ok(hasContentHash('3f9a2c1b4d5e6f70.png'));
    assert.ok(!hasContentHash('app.js'));
    assert.ok(!hasContentHash('report-20240101.pdf'), 'a date is not a hash');
    assert.ok(!hasContentHash('my-component.js'));
    assert.ok(!hasContentHash('deadbeef.js'), 'a short leading name is not a hash');
  });

  test('html revalidates, hashed assets are immutable, the rest caches an hour', () => {
    assert.equal(cacheControlOf('/site/index.html'), 'public, max-age=0, must-revalidate');
    assert.equal(cacheControlOf('/site/app.3f9a2c1b.js'), 'public, max-age=31536000, immutable');
    assert.equal(cacheControlOf('/site/logo.png'), 'public, max-age=3600');
  });

  test('content types carry a charset for text', () => {
    assert.equal(contentTypeOf('a.HTML'), 'text/html; charset=utf-8');
    assert.equal(contentTypeOf('a.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeOf('a.woff2'), 'font/woff2');
    assert.equal(contentTypeOf('noext'), 'application/octet-stream');
  });

  test('ETags change with size or time and match weakly, in lists and with *', () => {
    const etag = etagOf(1234, 1_700_000_000_000.5);
    assert.notEqual(etag, etagOf(1235, 1_700_000_000_000.5));
    assert.notEqual(etag, etagOf(1234, 1_700_000_000_999));
    assert.ok(etagMatches(etag, etag));
    assert.ok(etagMatches(`"other", W/${etag}`, etag));
    assert.ok(etagMatches('*', etag));
    assert.ok(!etagMatches('"other"', etag));
    assert.ok(!etagMatches(undefined, etag));
  });
});

describe('prefersJson', () => {
  test('JSON only when Accept ranks it above HTML', () => {
    assert.equal(prefersJson('application/json'), true);
    assert.equal(prefersJson('application/json, */*'), true);
    assert.equal(prefersJson('text/html;q=0.5, application/json'), true);
    assert.equal(prefersJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), false);
    assert.equal(prefersJson('text/html, application/json'), false);
    assert.equal(prefersJson('application/json;q=0.2, text/html'), false);
    assert.equal(prefersJson('*/*'), false);
    assert.equal(prefersJson(undefined), false);
  });
});
