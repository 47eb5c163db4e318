import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientResponseBytes, upstreamRequestBytes } from './head-rewrite.ts';
import {
  incomplete,
  maxFastHeadBytes,
  type RawRequestHead,
  readRawRequestHead,
  unsupported,
} from './raw-request-head.ts';
import {
  ChunkedEnd,
  type RawResponseHead,
  readRawResponseHead,
  UpstreamProtocolError,
} from './raw-response.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

function requestHead(text: string): RawRequestHead {
  const head = readRawRequestHead(bytes(text));
  assert.ok(typeof head === 'object', text);
  return head;
}

function responseHead(text: string, method = 'GET'): RawResponseHead {
  const head = readRawResponseHead(bytes(text), method);
  assert.ok(head !== undefined, text);
  return head;
}

describe('fast-path request heads', () => {
  test('a plain head is read with its headers, length and close wish', () => {
    const text =
      'POST /a?b=1 HTTP/1.1\r\nHost: x.localhost\r\nContent-Length:  5 \r\nConnection: close\r\n\r\nhello';
    const head = requestHead(text);
    assert.equal(head.method, 'POST');
    assert.equal(head.url, '/a?b=1');
    assert.equal(head.host, 'x.localhost');
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

describe('fast-path request rewriting', () => {
  const lines = ['x-forwarded-for: ', '10.0.0.1', '\r\nx-request-id: r1\r\n'];
  const added = lines.join('');

  test('the client lines go upstream as sent, less hop-by-hop and forwarding ones, with the added lines', () => {
    const text =
      'GET /p HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\r\nAccept: a\r\nAccept: b\r\n' +
      'Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n' +
      'X-Request-Id: abc\r\nX-Odd: \xe9t\xe9\r\n\r\n';
    const head = requestHead(text);
    assert.equal(head.accept, 'a, b');
    assert.equal(head.forwardedFor, '1.2.3.4');
    assert.equal(head.requestId, 'abc');
    assert.equal(head.close, false);
    const sent = upstreamRequestBytes(bytes(text), head, '/p', lines).toString('latin1');
    assert.equal(
      sent,
      `GET /p HTTP/1.1\r\nHost: x\r\nAccept: a\r\nAccept: b\r\nX-Odd: \xe9t\xe9\r\n${added}\r\n`,
    );
  });

  test('an absolute-form target is sent in origin-form', () => {
    const text = 'GET http://x/p?q=1 HTTP/1.1\r\nHost: x\r\n\r\n';
    const sent = upstreamRequestBytes(bytes(text), requestHead(text), '/p?q=1', lines).toString('latin1');
    assert.equal(sent, `GET /p?q=1 HTTP/1.1\r\nHost: x\r\n${added}\r\n`);
  });
});

describe('fast-path response rewriting', () => {
  const rewrite = (text: string, added = 'x-request-id: r1\r\n', body?: string): string => {
    const head = responseHead(text);
    const source = bytes(text);
    const pieces = added === '' ? [] : [added];
    return clientResponseBytes(source, head, pieces, body === undefined ? undefined : bytes(body)).toString(
      'latin1',
    );
  };

  test('the status line is HTTP/1.1 with the upstream code and reason, a reason space always there', () => {
    assert.equal(rewrite('HTTP/1.0 404 Not Here\r\n\r\n', ''), 'HTTP/1.1 404 Not Here\r\n\r\n');
    assert.equal(rewrite('HTTP/1.1 200\r\n\r\n', ''), 'HTTP/1.1 200 \r\n\r\n');
    assert.equal(rewrite('HTTP/1.1 200 \r\n\r\n', ''), 'HTTP/1.1 200 \r\n\r\n');
  });

  test('hop-by-hop lines, those named in Connection and the upstream request id are dropped', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n' +
      'Keep-Alive: timeout=5\r\nX-Request-Id: theirs\r\nUpgrade: h2c\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\n\r\n';
    const head = responseHead(text);
    assert.equal(head.keepAliveSeconds, 5);
    assert.equal(head.contentLength, 2);
    assert.equal(
      rewrite(text, 'x-request-id: r1\r\n', 'ok'),
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\nx-request-id: r1\r\n\r\nok',
    );
  });

  test('a length sent beside Transfer-Encoding is not passed on; a HEAD answer keeps its length', () => {
    const both = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n';
    assert.equal(responseHead(both).framing, 'chunked');
    assert.equal(rewrite(both, ''), 'HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n');
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n';
    const source = bytes(head);
    const sent = clientResponseBytes(source, responseHead(head, 'HEAD'), [], undefined).toString('latin1');
    assert.equal(sent, head);
  });

  test('Keep-Alive hints are read in either case, with other parameters beside them', () => {
    const seconds = (value: string): number | undefined =>
      responseHead(`HTTP/1.1 204 No Content\r\nKeep-Alive: ${value}\r\n\r\n`).keepAliveSeconds;
    assert.equal(seconds('timeout=65'), 65);
    assert.equal(seconds('Timeout=7, max=100'), 7);
    assert.equal(seconds('max=100, timeout=9'), 9);
    assert.equal(seconds('max=100'), undefined);
  });
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
