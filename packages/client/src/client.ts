import { HelixError } from '@helixstack/sdk';
import { errorFromFetchFailure, errorFromResponse } from './errors.ts';
import { paginate } from './paginate.ts';
import type {
  ApiToken,
  CreatedToken,
  Environment,
  EnvVar,
  EnvVarInput,
  EnvVarListOptions,
  Health,
  Page,
  PageOptions,
  Project,
  SetEnvVarResult,
  TokenInput,
  Whoami,
} from './types.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Send the bearer token (default true); /v1/health is the one endpoint that needs none. */
  auth?: boolean;
}

export interface HelixResponse<T> {
  status: number;
  body: T;
}

export interface HelixClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 (no /v1). */
  apiUrl: string;
  /** API token sent as "Authorization: Bearer <token>". */
  token?: string;
  /** Milliseconds before a request is abandoned as unreachable (default 30 s). */
  timeoutMs?: number;
  /** Replaces the global fetch, e.g. to route requests through a test double. */
  fetch?: typeof fetch;
}

const pageLimit = 100;
const tokenPattern = /^[\x21-\x7e]+$/;

function segment(value: string): string {
  return encodeURIComponent(value);
}

/** A typed client of the HelixStack /v1 API. Every failure is thrown as a HelixError. */
export class HelixClient {
  readonly apiUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: HelixClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Sends one request and returns the status with the parsed body (undefined when there is none). */
  async send<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HelixResponse<T>> {
    const url = new URL(`${this.apiUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.auth !== false) {
      if (!this.#token) throw new HelixError('HLX_CLI_NOT_LOGGED_IN');
      // Checked here so that fetch's own header error, which quotes the value, never shows the token.
      if (!tokenPattern.test(this.#token)) {
        throw new HelixError(
          'HLX_UNAUTHENTICATED',
          'The API token has characters no token has (a space or line break?).',
        );
      }
      headers.authorization = `Bearer ${this.#token}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw errorFromFetchFailure(error, this.apiUrl);
    }
    const body = parseBody(text);
    if (!response.ok) throw errorFromResponse(response.status, body);
    if (body === invalidJson) {
      throw new HelixError(
        'HLX_INTERNAL',
        `The server answered ${method} ${path} with a body that is not JSON.`,
      );
    }
    return { status: response.status, body: body as T };
  }

  /** Sends one request and returns the parsed body. */
  async request<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T> {
    return (await this.send<T>(method, path, options)).body;
  }

  /** Yields every item of a list method, following nextCursor page by page. */
  paginate<T>(list: (page: PageOptions) => Promise<Page<T>>, limit = pageLimit): AsyncGenerator<T> {
    return paginate((cursor) => list({ limit, cursor }));
  }

  health(): Promise<Health> {
    return this.request('GET', '/v1/health', { auth: false });
  }

  whoami(): Promise<Whoami> {
    return this.request('GET', '/v1/whoami');
  }

  listProjects(page: PageOptions = {}): Promise<Page<Project>> {
    return this.request('GET', '/v1/projects', { query: { ...page } });
  }

  createProject(name: string): Promise<Project> {
    return this.request('POST', '/v1/projects', { body: { name } });
  }

  /** project is the project's id or name. */
  getProject(project: string): Promise<Project> {
    return this.request('GET', `/v1/projects/${segment(project)}`);
  }

  async deleteProject(project: string): Promise<void> {
    await this.request('DELETE', `/v1/projects/${segment(project)}`);
  }

  listEnvironments(project: string, page: PageOptions = {}): Promise<Page<Environment>> {
    return this.request('GET', `/v1/projects/${segment(project)}/environments`, { query: { ...page } });
  }

  createEnvironment(project: string, name: string): Promise<Environment> {
    return this.request('POST', `/v1/projects/${segment(project)}/environments`, { body: { name } });
  }

  async deleteEnvironment(project: string, environment: string): Promise<void> {
    await this.request('DELETE', `/v1/projects/${segment(project)}/environments/${segment(environment)}`);
  }

  listEnvVars(project: string, options: EnvVarListOptions = {}): Promise<Page<EnvVar>> {
    return this.request('GET', `/v1/projects/${segment(project)}/env`, { query: { ...options } });
  }

  /** Creates the variable, or replaces the one with the same key in that environment. */
  async setEnvVar(project: string, input: EnvVarInput): Promise<SetEnvVarResult> {
    const { status, body } = await this.send<EnvVar>('POST', `/v1/projects/${segment(project)}/env`, {
      body: input,
    });
    return { envVar: body, created: status === 201 };
  }

  async deleteEnvVar(project: string, envVarId: string): Promise<void> {
    await this.request('DELETE', `/v1/projects/${segment(project)}/env/${segment(envVarId)}`);
  }

  listTokens(page: PageOptions = {}): Promise<Page<ApiToken>> {
    return this.request('GET', '/v1/tokens', { query: { ...page } });
  }

  createToken(input: TokenInput): Promise<CreatedToken> {
    return this.request('POST', '/v1/tokens', { body: input });
  }

  async revokeToken(tokenId: string): Promise<void> {
    await this.request('DELETE', `/v1/tokens/${segment(tokenId)}`);
  }
}

const invalidJson: unique symbol = Symbol('invalid JSON');

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalidJson;
  }
}
