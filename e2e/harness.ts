import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFiles, uploadMissingBlobs } from '@helixstack/source';
import { request } from 'undici';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const helixBin = join(repoRoot, 'apps/cli/bin/helix.js');

export interface ServerProcess {
  child: ChildProcess;
  apiUrl: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts `helix server` as a user would, on a free port, and waits until it says where the API is. */
export function startServerProcess(options: {
  dataDir: string;
  env?: Record<string, string>;
  args?: string[];
  /** The Node binary that runs the server; this test's own by default. */
  node?: string;
}): Promise<ServerProcess> {
  const child = spawn(
    options.node ?? process.execPath,
    [helixBin, 'server', '--port', '0', '--data-dir', options.dataDir, ...(options.args ?? [])],
    {
      cwd: repoRoot,
      env: { ...process.env, HELIX_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The banner ends with the Database line; roles without an API print no API line.
      if (/Database:.*\n/.test(output)) {
        clearTimeout(timer);
        const match = /API:\s+(http:\/\/\S+\/v1)/.exec(output);
        resolve({ child, apiUrl: match?.[1] ?? '', output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it started:\n${output}`));
    });
  });
}

/** Runs `helix server` expecting it to fail at start; returns its exit code and output. */
export function runServerExpectingFailure(options: { dataDir: string; env?: Record<string, string> }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [helixBin, 'server', '--port', '0', '--data-dir', options.dataDir],
      {
        cwd: repoRoot,
        env: { ...process.env, HELIX_LOG_LEVEL: 'warn', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export function adminToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}

export async function api(apiUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** Uploads a folder and creates a deployment, the way `helix deploy` does. */
export async function deployFolder(
  apiUrl: string,
  token: string,
  project: string,
  dir: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; url: string }> {
  const files = await collectFiles(dir);
  await uploadMissingBlobs(dir, files, {
    missing: async () => (await api(apiUrl, token, 'POST', '/sources/check', { files })).json.missing,
    put: async (digest, size, stream) => {
      const response = await fetch(`${apiUrl}/blobs/${digest}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(size),
        },
        body: stream as unknown as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (response.status >= 300) throw new Error(`blob upload failed: ${await response.text()}`);
    },
  });
  const created = await api(apiUrl, token, 'POST', `/projects/${project}/deployments`, {
    source: { type: 'upload', files },
    ...body,
  });
  if (created.status !== 201) throw new Error(`deploy failed: ${JSON.stringify(created.json)}`);
  return created.json;
}

/** Polls a deployment until it reaches READY, ERROR or CANCELED. */
export async function waitFinal(apiUrl: string, token: string, id: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await api(apiUrl, token, 'GET', `/deployments/${id}`);
    if (['READY', 'ERROR', 'CANCELED'].includes(json.state)) return json;
    if (Date.now() > deadline) throw new Error(`deployment ${id} stuck in ${json.state}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** GET through the edge router with a Host header, as a browser on `<name>.localhost` would. */
export async function viaRouter(routerPort: number, host: string, path = '/') {
  const response = await request(`http://127.0.0.1:${routerPort}${path}`, { headers: { host } });
  return { status: response.statusCode, text: await response.body.text() };
}

export function routerPortOf(server: ServerProcess): number {
  const match = /Apps:\s+http:\/\/<name>\.[^:]+:(\d+)/.exec(server.output());
  if (!match?.[1]) throw new Error(`no router port in:\n${server.output()}`);
  return Number(match[1]);
}

/** Writes a small Node app with no dependencies that answers `body` on / and /health. */
export function writeApp(
  dir: string,
  options: { body: string; build?: string; health?: string; exitAtOnce?: boolean; timeoutSeconds?: number },
) {
  mkdirSync(dir, { recursive: true });
  const scripts: Record<string, string> = { start: 'node server.js' };
  if (options.build) scripts.build = options.build;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true, scripts }));
  const server = options.exitAtOnce
    ? `console.error('giving up at once'); process.exit(1);`
    : `require('node:http').createServer((req, res) => {
  if (req.url === '/health') { res.writeHead(${options.health === 'fail' ? 500 : 200}); return res.end('ok'); }
  res.end(${JSON.stringify(options.body)});
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('fixture listening ' + ${JSON.stringify(options.body)}));`;
  writeFileSync(join(dir, 'server.js'), server);
  writeFileSync(
    join(dir, 'helix.json'),
    JSON.stringify({ healthCheck: { path: '/health', timeoutSeconds: options.timeoutSeconds ?? 20 } }),
  );
}
