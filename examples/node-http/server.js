import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);

const server = createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`Hello from node-http on Node ${process.version}\n`);
});

server.listen(port, () => console.log(`node-http listening on ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
