// The benchmark's upstream: a tiny fixed response, so the proxy in front is what is measured.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from('hello from the upstream\n');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
