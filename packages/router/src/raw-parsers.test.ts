import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { incomplete, maxFastHeadBytes, readRawRequestHead, unsupported } from './raw-request-head.ts';
import { ChunkedEnd, readRawResponseHead, UpstreamProtocolError } from './raw-response.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('fast-path request heads', () => {
  test('a plain head is read with its headers, length and close wish', () => {
    const text =
      'POST /a?b=1 HTTP/1.1\r\nHost: x.localhost\r\nContent-Length:  5 \r\nConnection: close\r\n\r\nhello';
    const head = readRawRequestHead(bytes(text));
    assert.ok(typeof head === 'object');
    assert.equal(head.method, 'POST');
    assert.equal(head.url, '/a?b=1');
    assert.deepEqual(head.rawHeaders, ['Host', 'x.localhost', 'Content-Length', '5', 'Connection', 'close']);
    assert.equal(head.contentLength, 5);
    assert.equal(head.close, true);
    assert.equal(head.headLength, text.length - 'hello'.length);
  });

  test('a head without its blank line yet is incomplete until it grows past the limit', () => {
    assert.equal(readRawRequestHead(bytes('GET / HTTP/1.1\r\nHost: x\r\n')), incomplete);
    const huge = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(maxFastHeadBytes)}\r\n`;
    assert.equal(readRawRequestHead(bytes(huge)), unsupported);
  });

  const handedOver: Record<string, string> = {
    'HTTP/1.0': 'GET / HTTP/1.0\r\nHost: x\r\n\r\n',
    'chunked body': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    upgrade: 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    expect: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n',
    'two lengths': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n',
    'signed length': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n',
    'no host': 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n',
    'two hosts': 'GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n',
    'space before colon': 'GET / HTTP/1.1\r\nHost : x\r\n\r\n',
    'folded line': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n',
    'bare LF inside': 'GET / HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n',
    'NUL in a value': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n',
    'space in target': 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
    'bad method': 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n',
  };
  for (const [name, text] of Object.entries(handedOver)) {
    test(`${name}: left to Node's server`, () => {
      assert.equal(readRawRequestHead(bytes(text)), unsupported);
    });
  }
});

describe('fast-path response heads', () => {
  test('framing follows RFC 9112: HEAD, 204 and 304 have no body; chunked wins over a length', () => {
    const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n';
    assert.equal(readRawResponseHead(bytes(ok), 'GET')?.framing, 'length');
    assert.equal(readRawResponseHead(bytes(ok), 'HEAD')?.framing, 'none');
    assert.equal(readRawResponseHead(bytes('HTTP/1.1 204 No Content\r\n\r\n'), 'GET')?.framing, 'none');
    assert.equal(readRawResponseHead(bytes('HTTP/1.1 304 Not Modified\r\n\r\n'), 'GET')?.framing, 'none');
    const both = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n';
    assert.equal(readRawResponseHead(bytes(both), 'GET')?.framing, 'chunked');
    const untilClose = readRawResponseHead(bytes('HTTP/1.1 200 OK\r\n\r\n'), 'GET');
    assert.equal(untilClose?.framing, 'close');
    assert.equal(untilClose?.reusable, false);
  });

  test('HTTP/1.0 and Connection: close responses are not reused; HTTP/1.1 ones are', () => {
    const reusable = (text: string): boolean | undefined => readRawResponseHead(bytes(text), 'GET')?.reusable;
    assert.equal(reusable('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), true);
    assert.equal(reusable('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'), false);
    assert.equal(reusable('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), false);
    assert.equal(reusable('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'), true);
  });

  test('malformed heads are protocol errors', () => {
    for (const text of [
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A 1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n',
    ]) {
      assert.throws(() => readRawResponseHead(bytes(text), 'GET'), UpstreamProtocolError, text);
    }
  });
});

describe('chunked framing', () => {
  const body = '5;ext=1\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\n';

  test('the end is found wherever the bytes are split', () => {
    const whole = bytes(`${body}NEXT`);
    for (let cut = 0; cut <= body.length; cut++) {
      const end = new ChunkedEnd();
      const first = end.take(whole.subarray(0, cut), 0);
      assert.equal(first, cut, `all of the first part belongs to the body (cut ${cut})`);
      assert.equal(end.done, cut === body.length);
      if (end.done) continue;
      const second = bytes(`${body}NEXT`.slice(cut));
      assert.equal(end.take(second, 0), body.length - cut);
      assert.equal(end.done, true);
    }
  });

  test('broken framing throws instead of guessing', () => {
    for (const text of ['x\r\n', '5\r\nhelloX\r\n', '5\nhello\r\n', '0\r\nX\n']) {
      assert.throws(() => new ChunkedEnd().take(bytes(text), 0), UpstreamProtocolError, JSON.stringify(text));
    }
  });
});
