import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HelixClient } from '@helixstack/client';
import { closedPort, type FakeApi, startFakeApi } from '@helixstack/client/testing';
import { type RunningHelix, startHelix, temporaryDir } from '../run-helix.ts';

let api: FakeApi;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi();
  api.state.addProject('web');
  const client = new HelixClient({ apiUrl: api.url, token: api.ownerToken });
  await client.setEnvVar('web', {
    key: 'GREETING',
    value: 'hello from development',
    environment: 'development',
  });
  await client.setEnvVar('web', {
    key: 'GREETING',
    value: 'hello from production',
    environment: 'production',
  });
  await client.setEnvVar('web', {
    key: 'API_KEY',
    value: 's3cret',
    environment: 'development',
    sensitive: true,
  });
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = join(await temporaryDir('helix-dev-'), 'app');
  await mkdir(dir);
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
  return dir;
}

/** Fetches the page once the app listens; bounded, and failing early if helix exits. */
async function fetchWhenUp(helix: RunningHelix, url: string): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (helix.child.exitCode !== null)
      assert.fail(`helix dev exited ${helix.child.exitCode}: ${helix.stderr()}`);
    const body = await fetch(url).then(
      (response) => response.text(),
      () => undefined,
    );
    if (body !== undefined) return body;
    await sleep(100);
  }
  return assert.fail(`nothing answered on ${url}: ${helix.stderr()}`);
}

const serverJs = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const built = readFileSync('built.txt', 'utf8');
createServer((req, res) => res.end(process.env.GREETING + ' / ' + built)).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('helix dev', () => {
  test('builds and starts a node app with PORT and the development variables; SIGTERM stops it', async () => {
    const dir = await fixture({
      'package.json': JSON.stringify({
        name: 'tiny',
        scripts: { build: 'node build.js', start: 'node server.js' },
      }),
      'build.js': "require('node:fs').writeFileSync('built.txt', 'built')",
      'server.js': serverJs,
    });
    const port = await closedPort();
    const helix = startHelix(['dev', dir, '--port', String(port), '--project', 'web'], configDir, { env });
    let code: number;
    try {
      const body = await fetchWhenUp(helix, `http://127.0.0.1:${port}/`);
      assert.equal(body, 'hello from development / built');
      assert.equal(api.requests.at(-1)?.query.get('environment'), 'development');
      assert.match(helix.stderr(), /Sensitive variables are not sent to your machine: API_KEY\./);
      assert.match(helix.stderr(), /> npm run build\n/);
    } finally {
      code = await helix.stop('SIGTERM');
    }
    assert.equal(code, 143, 'the app ended by the forwarded SIGTERM');
    const after = await fetch(`http://127.0.0.1:${port}/`).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(after, 'refused', 'the app stopped with helix dev');
  });

  test('serves a static folder on PORT without a project; nothing outside it', async () => {
    const dir = await fixture({ 'index.html': '<h1>static</h1>', 'style.css': 'h1{}' });
    await writeFile(join(dir, '..', 'secret.txt'), 'outside');
    const port = await closedPort();
    const helix = startHelix(['dev', dir, '--port', String(port)], configDir, { env });
    try {
      assert.equal(await fetchWhenUp(helix, `http://127.0.0.1:${port}/`), '<h1>static</h1>');
      const css = await fetch(`http://127.0.0.1:${port}/style.css`);
      assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
      const outside = await fetch(`http://127.0.0.1:${port}/%2e%2e/secret.txt`);
      assert.equal(outside.status, 404);
      assert.match(helix.stderr(), /Not linked to a project/);
    } finally {
      assert.equal(await helix.stop('SIGINT'), 0);
    }
  });

  test('a folder with nothing to run and a bad --port are refused', async () => {
    const empty = await fixture({ 'README.md': 'no app' });
    const nothing = startHelix(['dev', empty], configDir, { env });
    assert.equal(await new Promise((resolve) => nothing.child.once('exit', resolve)), 1);
    assert.match(nothing.stderr(), /^Error HLX_CLI_DEV_NOTHING_TO_RUN: /);
    const badPort = startHelix(['dev', empty, '--port', '99999'], configDir, { env });
    assert.equal(await new Promise((resolve) => badPort.child.once('exit', resolve)), 2);
  });
});
