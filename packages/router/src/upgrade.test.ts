import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { MemoryRouteTable } from './route-table.ts';
import {
  CollectingAccessSink,
  startTestRouter,
  startUpstream,
  type TestRouter,
  type TestUpstream,
} from './testing.ts';

interface Opened {
  socket: WebSocket;
  responseHeaders: IncomingHttpHeaders;
}

function openSocket(port: number, host: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`, { headers: { host } });
    let responseHeaders: IncomingHttpHeaders = {};
    socket.once('upgrade', (response) => {
      responseHeaders = response.headers;
    });
    socket.once('open', () => resolve({ socket, responseHeaders }));
    socket.once('unexpected-response', (_req, response) =>
      reject(new Error(`status ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
}

describe('WebSocket passthrough', () => {
  let upstream: TestUpstream;
  let edge: TestRouter;
  let upgradeHeaders: IncomingHttpHeaders = {};
  const access = new CollectingAccessSink();

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.end('plain http');
    });
    const wss = new WebSocketServer({ noServer: true });
    upstream.server.on('upgrade', (req, socket, head) => {
      upgradeHeaders = req.headers;
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('message', (data: Buffer) => ws.send(`echo:${data.toString()}`));
      });
    });
    const routes = new MemoryRouteTable([
      [
        'chat.localhost',
        {
          kind: 'upstream',
          deploymentId: 'dpl_ws',
          projectId: 'prj_ws',
          upstreams: [{ host: '127.0.0.1', port: upstream.port }],
        },
      ],
    ]);
    edge = await startTestRouter(routes, { access });
  });
  after(async () => {
    await edge.close();
    await upstream.close();
  });

  test('messages echo through the router both ways', { timeout: 10_000 }, async () => {
    const { socket, responseHeaders } = await openSocket(edge.port, 'chat.localhost');
    assert.match(String(responseHeaders['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(upgradeHeaders['x-forwarded-for'], '127.0.0.1');
    assert.equal(upgradeHeaders['x-request-id'], responseHeaders['x-request-id']);
    assert.equal(edge.router.inflight('dpl_ws'), 1, 'an open socket is in flight');
    for (const text of ['hello', 'world']) {
      const reply = nextMessage(socket);
      socket.send(text);
      assert.equal(await reply, `echo:${text}`);
    }
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close();
    await closed;
    await edge.router.drained('dpl_ws');
    const record = access.records.find((r) => r.requestId === responseHeaders['x-request-id']);
    assert.equal(record?.status, 101);
    assert.equal(record?.deploymentId, 'dpl_ws');
  });

  test('an upgrade to an unknown host is refused with 404', { timeout: 10_000 }, async () => {
    await assert.rejects(openSocket(edge.port, 'nobody.localhost'), /status 404/);
  });
});
