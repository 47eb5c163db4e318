import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { extractArchive } from './extract.ts';
import { makeTempDir, tarFileHeader } from './testing.ts';

test('a server can still answer 413 to an oversized upload, having read only a little of it', async () => {
  const work = await makeTempDir('extract-http');
  const limits = { maxBytes: 1024 * 1024, maxFiles: 10 };
  const server = createServer(async (req, res) => {
    try {
      await extractArchive(req, join(work, 'out'), limits);
      res.end('ok');
    } catch (error) {
      res.writeHead(error instanceof HelixError ? error.status : 500, { connection: 'close' });
      res.end(JSON.stringify(error));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const chunk = Buffer.alloc(64 * 1024);
  async function* body(): AsyncGenerator<Buffer> {
    yield await tarFileHeader('big.bin', 1024 * 1024 * 1024);
    for (let index = 0; index < 16 * 1024; index++) yield chunk;
  }
  try {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const upload = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, async (res) => {
        let text = '';
        for await (const part of res) text += String(part);
        resolve({ status: res.statusCode ?? 0, text });
      });
      upload.on('error', reject);
      Readable.from(body()).pipe(upload);
    });
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.text).error.code, 'HLX_ARCHIVE_TOO_LARGE');
  } finally {
    server.closeAllConnections();
    server.close();
    await rm(work, { recursive: true, force: true });
  }
});
