import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the router needs from a request head, read in one pass over the raw headers. */
export interface RequestHead {
  /** The Host header as sent (with port); '' when missing. */
  host: string;
  accept: string | undefined;
  ifNoneMatch: string | undefined;
  /** The incoming id when valid, else a new one. */
  requestId: string;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
  forwardedHost: string | undefined;
  /** A body follows the head (Content-Length above 0 or Transfer-Encoding). */
  hasBody: boolean;
  /** Extra hop-by-hop names the client listed in Connection (rare; usually undefined). */
  connectionTokens: string[] | undefined;
  /** The Upgrade header (protocol asked for, e.g. websocket). */
  upgrade: string | undefined;
  /** The client's end-to-end headers as [name, value, ...], collected in the same pass. */
  passOn: string[];
}

const requestIdPattern = /^[\w.:=+/-]{1,128}$/;

// Headers the router reads; everything else passes through untouched. Kinds up to
// CONTENT_LENGTH are forwarded as they are, the others are replaced or dropped.
const HOST = 1;
const ACCEPT = 2;
const IF_NONE_MATCH = 3;
const CONTENT_LENGTH = 4;
const REQUEST_ID = 5;
const FORWARDED_FOR = 6;
const FORWARDED_PROTO = 7;
const FORWARDED_HOST = 8;
const CONNECTION = 9;
const TRANSFER_ENCODING = 10;
/** Hop-by-hop: meaningful for one connection only, never forwarded (RFC 9110 7.6.1). */
const HOP_BY_HOP = 11;

/** Request headers meaningful for one connection only (RFC 9110 7.6.1): never forwarded. */
export const hopByHopRequest = ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer'];

const headerKinds = new Map<string, number>([
  ['host', HOST],
  ['accept', ACCEPT],
  ['if-none-match', IF_NONE_MATCH],
  ['x-request-id', REQUEST_ID],
  ['x-forwarded-for', FORWARDED_FOR],
  ['x-forwarded-proto', FORWARDED_PROTO],
  ['x-forwarded-host', FORWARDED_HOST],
  ['connection', CONNECTION],
  ...hopByHopRequest.map((name) => [name, HOP_BY_HOP] as const),
  ['content-length', CONTENT_LENGTH],
  ['transfer-encoding', TRANSFER_ENCODING],
  ['upgrade', HOP_BY_HOP],
  // Node answers 100-continue itself before the body is read.
  ['expect', HOP_BY_HOP],
]);

export function readRequestHead(req: Pick<IncomingMessage, 'rawHeaders'>): RequestHead {
  const raw = req.rawHeaders;
  const head: RequestHead = {
    host: '',
    accept: undefined,
    ifNoneMatch: undefined,
    requestId: '',
    forwardedFor: undefined,
    forwardedProto: undefined,
    forwardedHost: undefined,
    hasBody: false,
    connectionTokens: undefined,
    upgrade: undefined,
    passOn: [],
  };
  let incomingId: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    const kind = headerKinds.get(lower);
    if (kind === undefined || kind <= CONTENT_LENGTH) head.passOn.push(name, value);
    if (kind === undefined) continue;
    if (kind === HOST) head.host ||= value;
    else if (kind === ACCEPT) head.accept = head.accept === undefined ? value : `${head.accept}, ${value}`;
    else if (kind === IF_NONE_MATCH) head.ifNoneMatch ??= value;
    else if (kind === REQUEST_ID) incomingId ??= value;
    else if (kind === FORWARDED_FOR)
      head.forwardedFor = head.forwardedFor === undefined ? value : `${head.forwardedFor}, ${value}`;
    else if (kind === FORWARDED_PROTO) head.forwardedProto ??= value;
    else if (kind === FORWARDED_HOST) head.forwardedHost ??= value;
    else if (kind === CONTENT_LENGTH) head.hasBody ||= value !== '0';
    else if (kind === TRANSFER_ENCODING) head.hasBody = true;
    else if (kind === CONNECTION) head.connectionTokens = connectionTokens(value, head.connectionTokens);
    else if (lower === 'upgrade') head.upgrade ??= value;
  }
  head.requestId = requestIdOf(incomingId);
  return head;
}

/** The client's X-Request-Id when it is a sane token, else a new id. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming !== undefined && requestIdPattern.test(incoming) ? incoming : randomUUID();
}

function connectionTokens(value: string, previous: string[] | undefined): string[] | undefined {
  let tokens = previous;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || name === 'close' || name === 'keep-alive' || name === 'upgrade') continue;
    tokens ??= [];
    tokens.push(name);
  }
  return tokens;
}

export interface ForwardingOptions {
  /** Keep X-Forwarded-Proto/Host from the client: only behind a trusted TLS terminator. */
  trustForwardedHeaders: boolean;
  /** Ask for the protocol switch the client asked for (the WebSocket passthrough). */
  keepUpgrade?: boolean;
}

/**
 * The headers sent upstream as a flat [name, value, ...] list: the client's headers less
 * hop-by-hop ones, with X-Forwarded-For appended and X-Forwarded-Proto/Host and
 * X-Request-Id set by the router. Takes over `head.passOn`.
 */
export function upstreamHeaders(
  req: Pick<IncomingMessage, 'socket'>,
  head: RequestHead,
  options: ForwardingOptions,
): string[] {
  let out = head.passOn;
  const dropped = head.connectionTokens;
  if (dropped !== undefined) out = out.filter((_, i) => !dropped.includes(out[i - (i % 2)]!.toLowerCase()));
  if (options.keepUpgrade && head.upgrade !== undefined)
    out.push('connection', 'upgrade', 'upgrade', head.upgrade);
  const forwarded = forwardedValues(req.socket, head, options.trustForwardedHeaders);
  out.push('x-forwarded-for', forwarded.for);
  out.push('x-forwarded-proto', forwarded.proto);
  out.push('x-forwarded-host', forwarded.host);
  out.push('x-request-id', head.requestId);
  return out;
}

/** What the client sent that the X-Forwarded-* values are made of. */
export interface ForwardingFacts {
  host: string;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
  forwardedHost: string | undefined;
}

/** X-Forwarded-For gets the client appended; Proto and Host are the router's own unless trusted. */
export function forwardedValues(
  socket: IncomingMessage['socket'],
  facts: ForwardingFacts,
  trust: boolean,
): { for: string; proto: string; host: string } {
  const client = clientAddress(socket);
  const ownProto = (socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return {
    for: facts.forwardedFor === undefined ? client : `${facts.forwardedFor}, ${client}`,
    proto: (trust && facts.forwardedProto) || ownProto,
    host: (trust && facts.forwardedHost) || facts.host,
  };
}

function clientAddress(socket: IncomingMessage['socket']): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The path and query to send upstream: origin-form even when the client sent absolute-form. */
export function requestPath(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  if (url.charCodeAt(0) === 47) return url;
  if (url === '*') return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return undefined;
  }
}
