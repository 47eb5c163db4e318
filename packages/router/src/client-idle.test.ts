import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MemoryRouteTable } from './route-table.ts';
import { startEchoUpstream, startTestRouter, type TestUpstream } from './testing.ts';

// Client connections between requests: the idle sweep closes them, or hands a head still
// arriving to Node's server.
describe('idle client connections', () => {
  let echo: TestUpstream;
  let routes: MemoryRouteTable;

  before(async () => {
    echo = await startEchoUpstream('echo');
    routes = new MemoryRouteTable([
      [
        'app.localhost',
        {
          kind: 'upstream',
          deploymentId: 'dpl_idle',
          projectId: 'prj_idle',
          upstreams: [{ host: '127.0.0.1', port: echo.port }],
        },
      ],
    ]);
  });
  after(async () => {
    await echo.close();
  });

  test('a kept-alive client connection is closed once idle past clientIdleTimeoutMs, not before', async () => {
    const idle = await startTestRouter(routes, { clientIdleTimeoutMs: 300 });
    try {
      const socket = connect({ port: idle.port, host: '127.0.0.1' });
      let answered = 0;
      let closedAt = 0;
      socket.on('data', () => {
        answered = performance.now();
      });
      const closed = new Promise<void>((resolve) =>
        socket.on('close', () => {
          closedAt = performance.now();
          resolve();
        }),
      );
      socket.write('GET /idle HTTP/1.1\r\nHost: app.localhost\r\n\r\n');
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
      await Promise.race([closed, gaveUp]);
      socket.destroy();
      assert.ok(answered > 0, 'the request was answered first');
      assert.ok(closedAt > 0, 'the router closed the idle connection');
      const idleFor = closedAt - answered;
      assert.ok(idleFor >= 250 && idleFor < 3000, `closed after ${idleFor.toFixed(0)} ms idle`);
    } finally {
      await idle.close();
    }
  });

  test('a head still arriving after clientIdleTimeoutMs is handed to Node, which answers it', async () => {
    const slow = await startTestRouter(routes, { clientIdleTimeoutMs: 200 });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect({ port: slow.port, host: '127.0.0.1' });
        let answer = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          answer += chunk;
          if (answer.includes('}')) {
            socket.destroy();
            resolve(answer);
          }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(answer));
        socket.write('GET /dribbled HTTP/1.1\r\nHost: app.localhost\r\n');
        // Past the idle time with the head unfinished: the router hands the bytes to Node.
        setTimeout(() => socket.write('X-Late: yes\r\n\r\n'), 700);
      });
      assert.match(text, /^HTTP\/1\.1 200/);
      // Node's server answered: it names its keep-alive time, which the fast path never does.
      assert.match(text, /\r\nKeep-Alive: timeout=/);
      assert.match(text, /"url":"\/dribbled"/);
      assert.match(text, /"x-late":"yes"/);
    } finally {
      await slow.close();
    }
  });
});
