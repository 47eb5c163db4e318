import { HelixError } from '@helixstack/sdk';
import type {
  Deployment,
  DeploymentInput,
  DeploymentListOptions,
  LogEvent,
  LogStreamOptions,
  ProductionAlias,
  PutBlobResult,
  SourceCheck,
  SourceFileEntry,
} from './deployment-types.ts';
import { errorFromFetchFailure, errorFromResponse } from './errors.ts';
import { readLogStream } from './log-stream.ts';
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

export interface OpenOptions {
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A stream body is sent as it is read (duplex: 'half'). */
  body?: string | AsyncIterable<Uint8Array>;
  auth?: boolean;
  signal?: AbortSignal;
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

  /**
   * Sends a request and returns the response once its headers have arrived. A non-2xx answer is
   * thrown as the HelixError its body describes; no answer at all as HLX_CLI_UNREACHABLE.
   */
  async open(method: HttpMethod, path: string, options: OpenOptions): Promise<Response> {
    const url = new URL(`${this.apiUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.auth !== false) headers.authorization = this.#authorization();
    try {
      const response = await this.#fetch(url, {
        method,
        headers,
        body: options.body,
        signal: options.signal,
        ...(isStream(options.body) ? { duplex: 'half' } : {}),
      });
      if (response.ok) return response;
      const body = parseBody(await response.text());
      throw errorFromResponse(response.status, body === invalidJson ? undefined : body);
    } catch (error) {
      throw errorFromFetchFailure(error, this.apiUrl);
    }
  }

  /** Sends one request and returns the status with the parsed body (undefined when there is none). */
  async send<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HelixResponse<T>> {
    const json = options.body !== undefined;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const response = await this.open(method, path, {
      query: options.query,
      auth: options.auth,
      headers: json ? { 'content-type': 'application/json' } : {},
      body: json ? JSON.stringify(options.body) : undefined,
      signal,
    });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw errorFromFetchFailure(error, this.apiUrl);
    }
    const body = parseBody(text);
    if (body === invalidJson) {
      throw new HelixError(
        'HLX_INTERNAL',
        `The server answered ${method} ${path} with a body that is not JSON.`,
      );
    }
    return { status: response.status, body: body as T };
  }

  #authorization(): string {
    if (!this.#token) throw new HelixError('HLX_CLI_NOT_LOGGED_IN');
    // Checked here so that fetch's own header error, which quotes the value, never shows the token.
    if (!tokenPattern.test(this.#token)) {
      throw new HelixError(
        'HLX_UNAUTHENTICATED',
        'The API token has characters no token has (a space or line break?).',
      );
    }
    return `Bearer ${this.#token}`;
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

  /** Validates a source manifest; answers its digest and the blobs the server still needs. */
  checkSource(files: readonly SourceFileEntry[]): Promise<SourceCheck> {
    return this.request('POST', '/v1/sources/check', { body: { files } });
  }

  /**
   * Streams one file's content to the server under its sha256. Large files get more time than
   * the request timeout: one more second per MiB.
   */
  async putBlob(digest: string, size: number, body: AsyncIterable<Uint8Array>): Promise<PutBlobResult> {
    const response = await this.open('PUT', `/v1/blobs/${segment(digest)}`, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      signal: AbortSignal.timeout(this.#timeoutMs + Math.ceil(size / 1024 / 1024) * 1000),
    });
    await response.body?.cancel();
    return { digest, stored: response.status === 201 };
  }

  createDeployment(project: string, input: DeploymentInput): Promise<Deployment> {
    return this.request('POST', `/v1/projects/${segment(project)}/deployments`, { body: input });
  }

  getDeployment(deploymentId: string): Promise<Deployment> {
    return this.request('GET', `/v1/deployments/${segment(deploymentId)}`);
  }

  /** Newest first. */
  listDeployments(project: string, options: DeploymentListOptions = {}): Promise<Page<Deployment>> {
    return this.request('GET', `/v1/projects/${segment(project)}/deployments`, { query: { ...options } });
  }

  /** Points the production alias at a READY deployment. */
  promote(project: string, deploymentId: string): Promise<ProductionAlias> {
    return this.request('POST', `/v1/projects/${segment(project)}/promote`, {
      body: { deployment: deploymentId },
    });
  }

  /** Points production back at `deploymentId`, or at the previous production deployment. */
  rollback(project: string, deploymentId?: string): Promise<ProductionAlias> {
    const body = deploymentId === undefined ? {} : { deployment: deploymentId };
    return this.request('POST', `/v1/projects/${segment(project)}/rollback`, { body });
  }

  /**
   * The log of a deployment as parsed NDJSON events, read as they arrive. Ends after the stored
   * lines, or with follow when the server closes (with until 'final': once the deployment is
   * READY, ERROR or CANCELED). A dropped connection throws HLX_CLI_UNREACHABLE.
   */
  followLogs(deploymentId: string, options: LogStreamOptions = {}): AsyncGenerator<LogEvent> {
    const query = {
      after: options.after,
      follow: options.follow,
      until: options.until,
      source: options.source,
    };
    const path = `/v1/deployments/${segment(deploymentId)}/logs`;
    const open = (signal: AbortSignal) =>
      this.open('GET', path, { query, headers: { accept: 'application/x-ndjson' }, signal });
    return readLogStream(open, options, this.apiUrl);
  }
}

const invalidJson: unique symbol = Symbol('invalid JSON');

function isStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalidJson;
  }
}
