// Helpers for the router's own tests: real servers on 127.0.0.1 and a small HTTP client.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessRecord, AccessSink } from './access-log.ts';
import type { RouteTable } from './route-table.ts';
import { createRouter, type Router, type RouterOptions } from './router.ts';

export interface TestUpstream {
  server: Server;
  port: number;
  /** TCP connections the upstream accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export async function startUpstream(handler: UpstreamHandler): Promise<TestUpstream> {
  const server = createServer((req, res) => void handler(req, res));
  let connections = 0;
  server.on('connection', () => connections++);
  const port = await listenOnLoopback(server);
  return {
    server,
    port,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An upstream that answers every request with its name and what it received. */
export function startEchoUpstream(name: string): Promise<TestUpstream> {
  return startUpstream((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.stringify({
        name,
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
      res.end(body);
    });
  });
}

export interface EchoBody {
  name: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port with nothing listening on it: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class CollectingAccessSink implements AccessSink {
  records: AccessRecord[] = [];
  record(record: AccessRecord): void {
    this.records.push(record);
  }
}

export interface TestRouter {
  router: Router;
  port: number;
  close: () => Promise<void>;
}

export async function startTestRouter(
  routes: RouteTable,
  options: Omit<RouterOptions, 'routes'> = {},
): Promise<TestRouter> {
  const router = createRouter({ routes, closeTimeoutMs: 2000, ...options });
  const { port } = await router.listen(0, '127.0.0.1');
  return { router, port, close: () => router.close() };
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  host: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request to 127.0.0.1:port with the given Host header; resolves with the whole answer. */
export function send(port: number, options: SendOptions): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: { host: options.host, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function parseEcho(response: TestResponse): EchoBody {
  return JSON.parse(response.body) as EchoBody;
}
