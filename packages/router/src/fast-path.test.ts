import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryRouteTable, type RouteTarget } from './route-table.ts';
import {
  CollectingAccessSink,
  listenOnLoopback,
  send,
  startEchoUpstream,
  startTestRouter,
  startUpstream,
  type TestRouter,
  type TestUpstream,
} from './testing.ts';

function upstreamAt(deploymentId: string, port: number): RouteTarget {
  return { kind: 'upstream', deploymentId, projectId: 'prj_fast', upstreams: [{ host: '127.0.0.1', port }] };
}

/** Writes raw bytes on one connection and reads until `done` says the answer is whole. */
function talk(port: number, parts: string[], done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (done(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part, 'latin1');
        await new Promise((wait) => setTimeout(wait, 20));
      }
    });
  });
}

const count = (text: string, part: string): number => text.split(part).length - 1;

/** A raw upstream: `answer` gets each request head with its connection's request number. */
async function startRawUpstream(answer: (socket: Socket, head: string, nth: number) => void): Promise<{
  port: number;
  connections: () => number;
  server: Server;
}> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let nth = 0;
    let text = '';
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (let end = text.indexOf('\r\n\r\n'); end !== -1; end = text.indexOf('\r\n\r\n')) {
        const head = text.slice(0, end);
        text = text.slice(end + 4);
        answer(socket, head, ++nth);
      }
    });
  });
  const port = await listenOnLoopback(server as unknown as import('node:http').Server);
  return { port, connections: () => connections, server };
}

describe('the fast path', () => {
  let echo: TestUpstream;
  let staticRoot: string;
  let routes: MemoryRouteTable;
  let edge: TestRouter;
  const access = new CollectingAccessSink();

  before(async () => {
    echo = await startEchoUpstream('echo');
    staticRoot = await mkdtemp(join(tmpdir(), 'helix-fast-'));
    await writeFile(join(staticRoot, 'index.html'), '<p>static</p>');
    routes = new MemoryRouteTable([
      ['app.localhost', upstreamAt('dpl_app', echo.port)],
      [
        'site.localhost',
        { kind: 'static', deploymentId: 'dpl_site', projectId: 'prj_fast', root: staticRoot },
      ],
    ]);
    edge = await startTestRouter(routes, { access });
  });
  after(async () => {
    await edge.close();
    await echo.close();
    await rm(staticRoot, { recursive: true, force: true });
  });

  test('pipelined requests on one connection are answered in order', async () => {
    const one = 'GET /one HTTP/1.1\r\nHost: app.localhost\r\n\r\n';
    const two = 'POST /two HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 3\r\n\r\nabc';
    const three = 'GET /three HTTP/1.1\r\nHost: app.localhost\r\nConnection: close\r\n\r\n';
    const text = await talk(edge.port, [one + two + three], () => false);
    assert.equal(count(text, 'HTTP/1.1 200 OK'), 3);
    const urls = [...text.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(urls, ['/one', '/two', '/three']);
    assert.match(text, /"body":"abc"/);
    // The echo upstream streams chunked bodies; they pass through with their framing.
    assert.equal(count(text, 'transfer-encoding: chunked'), 3);
    assert.match(text.slice(text.lastIndexOf('HTTP/1.1 200')), /connection: close/);
  });

  test('a body that arrives in parts after its head reaches the upstream whole', async () => {
    const text = await talk(
      edge.port,
      ['PUT /parts HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 10\r\n\r\nhel', 'lo', ' world'],
      (answer) => answer.includes('}'),
    );
    assert.match(text, /"method":"PUT"/);
    // The 10 bytes of the length, not the 11 that were sent: the last byte starts a new request.
    assert.match(text, /"body":"hello worl"/);
  });

  test('after a fast request, a chunked upload on the same connection is handed to Node intact', async () => {
    const fast = 'GET /first HTTP/1.1\r\nHost: app.localhost\r\n\r\n';
    const chunked =
      'POST /upload HTTP/1.1\r\nHost: app.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    const text = await talk(edge.port, [fast, chunked], (answer) => count(answer, '"name":"echo"') === 2);
    assert.match(text, /"url":"\/first"/);
    assert.match(text, /"url":"\/upload".*"body":"hello"/s);
  });

  test('a static host after an upstream host on one connection is served by the fallback', async () => {
    const text = await talk(
      edge.port,
      [
        'GET /api HTTP/1.1\r\nHost: app.localhost\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: site.localhost\r\n\r\n',
        'GET /again HTTP/1.1\r\nHost: app.localhost\r\n\r\n',
      ],
      (answer) => answer.includes('"url":"/again"'),
    );
    assert.match(text, /<p>static<\/p>/);
    assert.equal(count(text, 'HTTP/1.1 200 OK'), 3);
  });

  test('HTTP/1.0 and unknown hosts still get their answers', async () => {
    const old = await talk(edge.port, ['GET /old HTTP/1.0\r\nHost: app.localhost\r\n\r\n'], () => false);
    assert.match(old, /^HTTP\/1\.1 200 OK/);
    assert.match(old, /"url":"\/old"/);
    const unknown = await send(edge.port, {
      host: 'nobody.localhost',
      headers: { accept: 'application/json' },
    });
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).error.code, 'HLX_ROUTE_UNKNOWN_HOST');
  });

  test('access records of fast requests carry exact sizes, status and deployment', async () => {
    access.records.length = 0;
    const request =
      'POST /sized HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd';
    const text = await talk(edge.port, [request], () => false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const record = access.records.find((entry) => entry.path === '/sized');
    assert.ok(record);
    assert.equal(record.status, 200);
    assert.equal(record.deploymentId, 'dpl_app');
    assert.equal(record.bytesIn, Buffer.byteLength(request));
    assert.equal(record.bytesOut, Buffer.byteLength(text, 'latin1'));
    assert.match(text, new RegExp(`x-request-id: ${record.requestId}`));
  });
});

describe('fast path against unusual upstreams', () => {
  test('103 Early Hints are relayed before the final response', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style' });
      res.end('final');
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['hints.localhost', upstreamAt('dpl_h', upstream.port)]]),
    );
    try {
      const text = await talk(edge.port, ['GET / HTTP/1.1\r\nHost: hints.localhost\r\n\r\n'], (answer) =>
        answer.endsWith('final'),
      );
      assert.ok(text.indexOf('HTTP/1.1 103') < text.indexOf('HTTP/1.1 200'), text);
      assert.match(text, /link: <\/app\.css>; rel=preload; as=style/i);
    } finally {
      await edge.close();
      await upstream.close();
    }
  });

  test('header bytes outside ASCII pass through both ways unchanged', async () => {
    let seen = '';
    const upstream = await startRawUpstream((socket, head) => {
      seen = head;
      socket.write(
        Buffer.from('HTTP/1.1 200 OK\r\nX-Name: caf\u00e9 \u2603\r\nContent-Length: 0\r\n\r\n', 'utf8'),
      );
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['bytes.localhost', upstreamAt('dpl_u', upstream.port)]]),
    );
    try {
      const sent = Buffer.from(
        'GET / HTTP/1.1\r\nHost: bytes.localhost\r\nX-Who: J\u00fcrgen\r\n\r\n',
        'utf8',
      );
      const text = await talk(edge.port, [sent.toString('latin1')], (answer) => answer.includes('\r\n\r\n'));
      assert.match(Buffer.from(text, 'latin1').toString('utf8'), /X-Name: café ☃\r\n/);
      assert.match(Buffer.from(seen, 'latin1').toString('utf8'), /X-Who: Jürgen/);
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });

  test('responses arriving in pieces on several upstream connections at once each reach their client whole', async () => {
    // Upstream reads share one buffer: a head cut short, or a body relayed on, must not be
    // overwritten by the next read of another connection.
    const upstream = await startRawUpstream(async (socket, head) => {
      socket.setNoDelay(true);
      const name = /GET \/(\w+)/.exec(head)?.[1] ?? '';
      const body = name.repeat(5000);
      const response = `HTTP/1.1 200 OK\r\nX-Name: ${name}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      if (name === 'whole') {
        socket.write(response);
        return;
      }
      const cuts = [0, 11, 30, 4000, 21000, response.length];
      for (let i = 1; i < cuts.length; i++) {
        socket.write(response.slice(cuts[i - 1], cuts[i]));
        await new Promise((wait) => setTimeout(wait, 15));
      }
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['pieces.localhost', upstreamAt('dpl_p', upstream.port)]]),
    );
    try {
      const names = ['alpha', 'bravo', 'whole', 'delta'];
      const responses = await Promise.all(
        names.map((name) => send(edge.port, { host: 'pieces.localhost', path: `/${name}` })),
      );
      responses.forEach((response, i) => {
        assert.equal(response.headers['x-name'], names[i]);
        assert.ok(response.body === names[i]!.repeat(5000), `body of /${names[i]} arrived whole and unmixed`);
      });
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });

  test('a body delimited by the upstream closing reaches the client, which is then closed', async () => {
    const upstream = await startRawUpstream((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['eof.localhost', upstreamAt('dpl_e', upstream.port)]]),
    );
    try {
      const text = await talk(edge.port, ['GET / HTTP/1.1\r\nHost: eof.localhost\r\n\r\n'], () => false);
      assert.match(text, /connection: close/);
      assert.ok(text.endsWith('\r\n\r\nuntil the end'), text);
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });

  test('a kept-alive upstream connection closed under a request is retried on a new one', async () => {
    const body = 'fresh';
    const upstream = await startRawUpstream((socket, _head, nth) => {
      // Each connection answers once, then drops the next request unanswered, as a server
      // does when its keep-alive timer fires just as the request arrives.
      if (nth === 1) socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      else socket.destroy();
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['retry.localhost', upstreamAt('dpl_r', upstream.port)]]),
    );
    try {
      for (let i = 0; i < 3; i++) {
        const response = await send(edge.port, { host: 'retry.localhost', path: `/${i}` });
        assert.equal(response.status, 200);
        assert.equal(response.body, body);
      }
      assert.equal(upstream.connections(), 3);
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });

  test('a malformed upstream response is a 502 HLX_UPSTREAM_DOWN and the client connection lives on', async () => {
    const upstream = await startRawUpstream((socket, head) => {
      if (head.startsWith('GET /broken')) socket.write('HTTP/1.1 200 OK\r\nBad Header\r\n\r\n');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const edge = await startTestRouter(
      new MemoryRouteTable([['bad.localhost', upstreamAt('dpl_b', upstream.port)]]),
    );
    try {
      const text = await talk(
        edge.port,
        [
          'GET /broken HTTP/1.1\r\nHost: bad.localhost\r\nAccept: application/json\r\n\r\n',
          'GET /fine HTTP/1.1\r\nHost: bad.localhost\r\n\r\n',
        ],
        (answer) => answer.endsWith('ok'),
      );
      assert.match(text, /^HTTP\/1\.1 502 /);
      assert.match(text, /HLX_UPSTREAM_DOWN/);
      assert.match(text, /HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok$/);
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });

  test('an upstream that answers no head in time is a 504 HLX_UPSTREAM_TIMEOUT', async () => {
    const upstream = await startRawUpstream(() => {});
    const edge = await startTestRouter(
      new MemoryRouteTable([['slow.localhost', upstreamAt('dpl_s', upstream.port)]]),
      {
        upstreamHeadersTimeoutMs: 200,
      },
    );
    try {
      const response = await send(edge.port, {
        host: 'slow.localhost',
        headers: { accept: 'application/json' },
      });
      assert.equal(response.status, 504);
      assert.equal(JSON.parse(response.body).error.code, 'HLX_UPSTREAM_TIMEOUT');
    } finally {
      await edge.close();
      upstream.server.close();
    }
  });
});
