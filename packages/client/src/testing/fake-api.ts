import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HelixError } from '@helixstack/sdk';
import { type FakeAnswer, fakeRoutes, matchPattern } from './fake-routes.ts';
import { FakeState, type FakeToken } from './fake-state.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the bytes of an application/octet-stream body, or undefined when there was none. */
  body: unknown;
}

export interface FakeApiOptions {
  /** Caps every page to this many items whatever limit is asked, to exercise pagination (default 100). */
  maxPageSize?: number;
}

export interface FakeApi {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Secret of the owner token the fake starts with. */
  ownerToken: string;
  state: FakeState;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Answers the next request to method and path with this instead of the normal handler. */
  answerOnce(method: string, path: string, answer: FakeAnswer): void;
  close(): Promise<void>;
}

interface Override {
  method: string;
  path: string;
  answer: FakeAnswer;
}

/**
 * An in-memory stand-in for the HelixStack /v1 API on 127.0.0.1, answering the documented shapes,
 * for tests of the client and the CLI that must not depend on the real server.
 */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const state = new FakeState();
  const owner = state.addToken('bootstrap', 'owner', 'hlx_owner_secret_for_tests');
  const routes = fakeRoutes(options.maxPageSize ?? 100);
  const requests: RecordedRequest[] = [];
  const overrides: Override[] = [];

  const answer = (request: RecordedRequest): FakeAnswer => {
    const overrideIndex = overrides.findIndex((o) => o.method === request.method && o.path === request.path);
    if (overrideIndex >= 0) return overrides.splice(overrideIndex, 1)[0]!.answer;
    const candidates = routes
      .map((route) => ({ route, params: matchPattern(route.pattern, request.path) }))
      .filter((match) => match.params !== undefined);
    if (candidates.length === 0) throw new HelixError('HLX_ROUTE_NOT_FOUND');
    const match = candidates.find((candidate) => candidate.route.method === request.method);
    if (!match) throw new HelixError('HLX_METHOD_NOT_ALLOWED');
    const token = match.route.auth === false ? undefined : authenticate(state.tokens, request.headers);
    if (token) token.lastUsedAt = state.now();
    const body = isObject(request.body) && !Buffer.isBuffer(request.body) ? request.body : {};
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return match.route.handle({ state, params: match.params ?? {}, query: request.query, body, raw, token });
  };

  const server = createServer((req, res) => {
    void handle(req, res, requests, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ownerToken: owner.secret,
    state,
    requests,
    answerOnce: (method, path, fake) => overrides.push({ method, path, answer: fake }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function authenticate(tokens: FakeToken[], headers: IncomingHttpHeaders): FakeToken {
  const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  const token = tokens.find((candidate) => candidate.secret === match?.[1]);
  if (!token) throw new HelixError('HLX_UNAUTHENTICATED');
  if (token.revokedAt) throw new HelixError('HLX_TOKEN_REVOKED');
  return token;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requests: RecordedRequest[],
  answer: (request: RecordedRequest) => FakeAnswer,
): Promise<void> {
  let result: FakeAnswer;
  try {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const binary = req.headers['content-type'] === 'application/octet-stream';
    let body: unknown;
    try {
      body = binary ? raw : raw.length === 0 ? undefined : (JSON.parse(raw.toString()) as unknown);
    } catch {
      throw new HelixError('HLX_INVALID_JSON');
    }
    const request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    requests.push(request);
    result = answer(request);
  } catch (error) {
    const helixError = error instanceof HelixError ? error : new HelixError('HLX_INTERNAL', String(error));
    result = { status: helixError.status, body: helixError.toJSON() };
  }
  if (result.stream) {
    res.writeHead(result.status, result.headers);
    result.stream(res);
    return;
  }
  if (result.body === undefined) {
    res.writeHead(result.status).end();
    return;
  }
  const payload = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  res.writeHead(result.status, { 'content-type': 'application/json' }).end(payload);
}
