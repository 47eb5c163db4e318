import type { ServerResponse } from 'node:http';
import { HelixError, isDnsLabel, isEnvKey } from '@helixstack/sdk';
import { isRole } from '../types.ts';
import { fakeDeployRoutes } from './fake-deploy-routes.ts';
import type { FakeState, FakeToken } from './fake-state.ts';
import { publicEnvironment, publicEnvVar, publicToken, removeWhere } from './fake-state.ts';

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Writes the body itself after the head is sent, e.g. a log stream. */
  stream?: (res: ServerResponse) => void;
}

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The request body as received, e.g. a blob. */
  raw: Buffer;
  /** The caller's token; undefined only on routes with auth: false. */
  token: FakeToken | undefined;
}

export interface FakeRoute {
  method: string;
  /** Segments starting with ":" are parameters. */
  pattern: string;
  auth?: boolean;
  handle(context: RouteContext): FakeAnswer;
}

/** Slices a list the way the API does: limit 1..100, an opaque cursor holding the offset. */
export function page<T>(items: T[], query: URLSearchParams, maxPageSize: number): FakeAnswer {
  const limit = Number(query.get('limit') ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new HelixError('HLX_VALIDATION', 'limit must be an integer from 1 to 100.');
  }
  const cursor = query.get('cursor');
  const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw new HelixError('HLX_INVALID_CURSOR');
  const end = offset + Math.min(limit, maxPageSize);
  const nextCursor = end < items.length ? Buffer.from(String(end)).toString('base64url') : null;
  return { status: 200, body: { items: items.slice(offset, end), nextCursor } };
}

export function text(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw new HelixError('HLX_VALIDATION', `${field} must be a string.`);
  return value;
}

function dnsName(body: Record<string, unknown>): string {
  const name = text(body, 'name');
  if (!isDnsLabel(name)) throw new HelixError('HLX_INVALID_NAME');
  return name;
}

export function projectOf({ state, params }: RouteContext) {
  const project = state.findProject(params.project ?? '');
  if (!project) throw new HelixError('HLX_NOT_FOUND', `No project "${params.project}".`);
  return project;
}

function createProject(context: RouteContext): FakeAnswer {
  const name = dnsName(context.body);
  if (context.state.findProject(name)) throw new HelixError('HLX_CONFLICT');
  return { status: 201, body: context.state.addProject(name) };
}

function setEnvVar(context: RouteContext): FakeAnswer {
  const { state, body } = context;
  const project = projectOf(context);
  const key = text(body, 'key');
  if (!isEnvKey(key)) throw new HelixError('HLX_INVALID_ENV_KEY');
  const environment = text(body, 'environment');
  if (!state.findEnvironment(project.id, environment)) {
    throw new HelixError('HLX_NOT_FOUND', `No environment "${environment}".`);
  }
  const value = text(body, 'value');
  const sensitive = body.sensitive === true;
  const existing = state.envVars.find(
    (envVar) => envVar.projectId === project.id && envVar.key === key && envVar.environment === environment,
  );
  if (existing) {
    Object.assign(existing, { value, sensitive, updatedAt: state.now() });
    return { status: 200, body: publicEnvVar(existing) };
  }
  const createdAt = state.now();
  const envVar = { id: state.nextId('var'), projectId: project.id, key, environment, sensitive, value };
  state.envVars.push({ ...envVar, createdAt, updatedAt: createdAt });
  return { status: 201, body: publicEnvVar({ ...envVar, createdAt, updatedAt: createdAt }) };
}

function createToken({ state, body }: RouteContext): FakeAnswer {
  const name = text(body, 'name');
  const role = body.role === undefined ? 'developer' : text(body, 'role');
  if (!isRole(role))
    throw new HelixError('HLX_VALIDATION', 'role must be owner, admin, developer or viewer.');
  const token = state.addToken(name, role);
  return { status: 201, body: { token: publicToken(token), secret: token.secret } };
}

/** The routes of the API contract, answered from the fake's memory. */
export function fakeRoutes(maxPageSize: number): FakeRoute[] {
  const list = <T>(items: T[], query: URLSearchParams) => page(items, query, maxPageSize);
  return [
    {
      method: 'GET',
      pattern: '/v1/health',
      auth: false,
      handle: () => ({ status: 200, body: { status: 'ok', version: '0.1.0', driver: 'fake' } }),
    },
    {
      method: 'GET',
      pattern: '/v1/whoami',
      handle: ({ state, token }) => ({
        status: 200,
        body: {
          user: state.user,
          org: state.org,
          token: { id: token?.id, name: token?.name, role: token?.role },
        },
      }),
    },
    { method: 'GET', pattern: '/v1/projects', handle: ({ state, query }) => list(state.projects, query) },
    { method: 'POST', pattern: '/v1/projects', handle: createProject },
    {
      method: 'GET',
      pattern: '/v1/projects/:project',
      handle: (context) => ({ status: 200, body: projectOf(context) }),
    },
    {
      method: 'DELETE',
      pattern: '/v1/projects/:project',
      handle: (context) => {
        const project = projectOf(context);
        removeWhere(context.state.projects, (item) => item.id === project.id);
        removeWhere(context.state.envVars, (item) => item.projectId === project.id);
        removeWhere(context.state.environments, (item) => item.projectId === project.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:project/environments',
      handle: (context) => {
        const project = projectOf(context);
        const own = context.state.environments.filter((env) => env.projectId === project.id);
        return list(own.map(publicEnvironment), context.query);
      },
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:project/environments',
      handle: (context) => {
        const project = projectOf(context);
        const name = dnsName(context.body);
        if (context.state.findEnvironment(project.id, name)) throw new HelixError('HLX_CONFLICT');
        return { status: 201, body: publicEnvironment(context.state.addEnvironment(project.id, name)) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/projects/:project/environments/:environment',
      handle: (context) => {
        const project = projectOf(context);
        const name = context.params.environment ?? '';
        if (!context.state.findEnvironment(project.id, name)) throw new HelixError('HLX_NOT_FOUND');
        const { environments, envVars } = context.state;
        removeWhere(environments, (item) => item.projectId === project.id && item.name === name);
        removeWhere(envVars, (item) => item.projectId === project.id && item.environment === name);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:project/env',
      handle: (context) => {
        const project = projectOf(context);
        const environment = context.query.get('environment');
        const own = context.state.envVars.filter(
          (item) =>
            item.projectId === project.id && (environment === null || item.environment === environment),
        );
        return list(own.map(publicEnvVar), context.query);
      },
    },
    { method: 'POST', pattern: '/v1/projects/:project/env', handle: setEnvVar },
    {
      method: 'DELETE',
      pattern: '/v1/projects/:project/env/:envVarId',
      handle: (context) => {
        const project = projectOf(context);
        const { envVars } = context.state;
        const found = envVars.some(
          (item) => item.projectId === project.id && item.id === context.params.envVarId,
        );
        if (!found) throw new HelixError('HLX_NOT_FOUND');
        removeWhere(envVars, (item) => item.id === context.params.envVarId);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tokens',
      handle: ({ state, query }) => list(state.tokens.map(publicToken), query),
    },
    { method: 'POST', pattern: '/v1/tokens', handle: createToken },
    {
      method: 'DELETE',
      pattern: '/v1/tokens/:tokenId',
      handle: ({ state, params }) => {
        const token = state.tokens.find((item) => item.id === params.tokenId);
        if (!token) throw new HelixError('HLX_NOT_FOUND');
        token.revokedAt ??= state.now();
        return { status: 204 };
      },
    },
    ...fakeDeployRoutes(maxPageSize),
  ];
}

/** Matches a path against a pattern, returning its parameters, or undefined when it does not match. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = got[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}
