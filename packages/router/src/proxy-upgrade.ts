import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HelixError } from '@helixstack/sdk';
import { writeRawErrorResponse } from './error-page.ts';
import type { RequestHead } from './request-head.ts';
import type { Upstream } from './route-table.ts';

const maxResponseHeadBytes = 64 * 1024;
const headEnd = Buffer.from('\r\n\r\n');

export interface UpgradeOptions {
  /** Called once when both sides are closed, with the status the upstream answered (502 if none). */
  onClose: (status: number) => void;
  onUpstreamError: (error: Error, requestId: string) => void;
}

/**
 * Passes an upgrade request (WebSocket) through: opens a socket to the upstream, writes
 * the request head, adds X-Request-Id to the upstream's response head, then pipes bytes
 * both ways until either side closes.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  client: Duplex,
  early: Buffer,
  upstream: Upstream,
  path: string,
  head: RequestHead,
  headers: string[],
  options: UpgradeOptions,
): Socket {
  const server = connect({ host: upstream.host, port: upstream.port });
  let status = 0;
  let closed = 0;
  const onClose = (): void => {
    closed++;
    if (closed === 2) options.onClose(status || 502);
  };
  client.once('close', onClose);
  server.once('close', onClose);
  client.on('error', () => server.destroy());
  server.on('error', (error) => {
    if (status !== 0) {
      client.destroy();
      return;
    }
    options.onUpstreamError(error, head.requestId);
    writeRawErrorResponse(client, new HelixError('HLX_UPSTREAM_DOWN'), {
      accept: head.accept,
      requestId: head.requestId,
    });
  });
  client.once('close', () => server.destroy());

  server.once('connect', () => {
    server.setNoDelay(true);
    let text = `${req.method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
    server.write(`${text}\r\n`);
    if (early.length > 0) server.write(early);
    client.pipe(server);
  });

  let pending: Buffer = Buffer.alloc(0);
  const readHead = (chunk: Buffer): void => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const end = pending.indexOf(headEnd);
    if (end === -1) {
      if (pending.length > maxResponseHeadBytes)
        server.destroy(new Error('upstream response head too large'));
      return;
    }
    server.pause();
    server.off('data', readHead);
    const responseHead = pending.subarray(0, end).toString('latin1');
    status = Number(responseHead.slice(9, 12)) || 502;
    client.write(`${responseHead}\r\nx-request-id: ${head.requestId}\r\n\r\n`);
    const rest = pending.subarray(end + headEnd.length);
    if (rest.length > 0) client.write(rest);
    server.pipe(client);
    // A refused upgrade (not 101) is an ordinary response: let the upstream close it.
  };
  server.on('data', readHead);
  return server;
}
