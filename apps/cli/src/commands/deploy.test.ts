import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type FakeApi, failingScript, readyScript, startFakeApi } from '@helixstack/client/testing';
import { runHelix, temporaryDir } from '../run-helix.ts';

const run = promisify(execFile);
let api: FakeApi;
let configDir: string;
let env: Record<string, string>;

before(async () => {
  api = await startFakeApi();
  configDir = await temporaryDir();
  env = { HELIX_API_URL: api.url, HELIX_TOKEN: api.ownerToken };
});
after(() => api.close());

/** A folder named `name` holding `files` (path -> content). */
async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(await temporaryDir('helix-deploy-'), name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const helix = (args: string[], cwd?: string) => runHelix(args, configDir, { env, ...(cwd ? { cwd } : {}) });

function requestsSince(start: number, method: string, prefix: string) {
  return api.requests.slice(start).filter((r) => r.method === method && r.path.startsWith(prefix));
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('helix deploy', () => {
  test('names, creates and links the project from the folder; the second deploy uploads no blob', async () => {
    const dir = await folder('My_App', {
      'package.json': '{"name":"my-app"}',
      'server.js': 'console.log(1)',
      'node_modules/dep/index.js': 'ignored',
      '.gitignore': 'secret.txt\n',
      'secret.txt': 'not sent',
    });
    const start = api.requests.length;
    const first = await helix(['deploy'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Created project my-app and linked/);
    const link = JSON.parse(await readFile(join(dir, '.helix', 'project.json'), 'utf8'));
    assert.equal(link.projectName, 'my-app');
    const puts = requestsSince(start, 'PUT', '/v1/blobs/');
    assert.equal(puts.length, 3, 'package.json, server.js and .gitignore');
    assert.match(first.stderr, /Uploaded 3 files \(\d+ B\), 0 unchanged/);
    const created = requestsSince(start, 'POST', '/v1/projects/').at(-1)?.body as Record<string, unknown>;
    const paths = (created.source as { files: { path: string }[] }).files.map((file) => file.path);
    assert.deepEqual(paths, ['.gitignore', 'package.json', 'server.js']);
    assert.equal(created.environment, 'preview');

    const again = api.requests.length;
    const second = await helix(['deploy', dir]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(requestsSince(again, 'PUT', '/v1/blobs/').length, 0);
    assert.match(second.stderr, /Uploaded 0 files \(0 B\), 3 unchanged/);
    assert.equal(
      requestsSince(again, 'POST', '/v1/projects').length,
      1,
      'only the deployment, no new project',
    );
  });

  test('prints the build log to stderr and the deployment URL as the last line of stdout', async () => {
    const dir = await folder('site', { 'index.html': '<h1>site</h1>' });
    const result = await helix(['deploy', dir, '--project', 'my-app']);
    assert.equal(result.code, 0, result.stderr);
    for (const step of readyScript({} as never)) {
      if (step.log && step.source !== 'runtime') assert.ok(result.stderr.includes(`${step.log}\n`), step.log);
    }
    assert.ok(!result.stderr.includes('listening on port 3000'), 'runtime lines are left to helix logs');
    assert.match(result.stderr, /Building…\n[\s\S]*Deploying…\n[\s\S]*Ready\./);
    const id = api.state.deployments.all.at(-1)?.id ?? '';
    assert.equal(result.stdout, `${api.state.deployments.find(id)?.url}\n`);
  });

  test('sends the git branch and the --env overrides, split at the first "="', async () => {
    const dir = await folder('branchy', { 'index.html': 'branch' });
    const git = (...args: string[]) => run('git', ['-C', dir, ...args]);
    await git('init', '-q', '-b', 'feature-x');
    await git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    );
    const start = api.requests.length;
    const args = ['deploy', dir, '--project', 'my-app', '--env', 'A=1', '--env', 'B=x=y'];
    const result = await helix(args);
    assert.equal(result.code, 0, result.stderr);
    const body = requestsSince(start, 'POST', '/v1/projects/').at(-1)?.body as Record<string, unknown>;
    assert.equal(body.branch, 'feature-x');
    assert.deepEqual(body.env, { A: '1', B: 'x=y' });
    assert.match(result.stderr, /Branch URL: http:\/\/my-app-git-feature-x\./);
  });

  test('outside git no branch is sent; --json prints one object with id, url and state', async () => {
    const dir = await folder('jsonly', { 'index.html': 'json' });
    const start = api.requests.length;
    const result = await helix(['deploy', dir, '--project', 'my-app', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(printed.state, 'READY');
    assert.match(String(printed.id), /^dpl_/);
    assert.equal(printed.url, api.state.deployments.find(String(printed.id))?.url);
    assert.equal(printed.project, 'my-app');
    const body = requestsSince(start, 'POST', '/v1/projects/').at(-1)?.body as Record<string, unknown>;
    assert.equal('branch' in body, false);
    assert.equal('env' in body, false);
  });

  test('--prod deploys to production and prints the production URL last', async () => {
    const dir = await folder('prod', { 'index.html': 'prod' });
    const start = api.requests.length;
    const result = await helix(['deploy', dir, '--project', 'my-app', '--prod']);
    assert.equal(result.code, 0, result.stderr);
    const body = requestsSince(start, 'POST', '/v1/projects/').at(-1)?.body as Record<string, unknown>;
    assert.equal(body.environment, 'production');
    assert.equal(lastLine(result.stdout), api.state.findProject('my-app')?.urls.production);
  });

  test('a failed build exits 1 with the error message and the "helix logs <id>" hint', async () => {
    api.state.deployments.script = failingScript('Build failed: missing script "build"');
    try {
      const dir = await folder('broken', { 'package.json': '{}' });
      const result = await helix(['deploy', dir, '--project', 'my-app']);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const id = api.state.deployments.all.at(-1)?.id;
      assert.match(result.stderr, /npm error missing script: build\n/);
      assert.match(
        result.stderr,
        /Error HLX_CLI_DEPLOY_FAILED: .* ended ERROR: Build failed: missing script "build"/,
      );
      assert.ok(result.stderr.includes(`helix logs ${id}`), result.stderr);
    } finally {
      api.state.deployments.script = readyScript;
    }
  });

  test('unknown flags exit 2 and bad --env values are refused before any request', async () => {
    const start = api.requests.length;
    const unknown = await helix(['deploy', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Error HLX_CLI_USAGE: Unknown option "--bogus"/);
    const noEquals = await helix(['deploy', '--env', 'ONLYKEY', '--project', 'my-app']);
    assert.equal(noEquals.code, 2);
    assert.match(noEquals.stderr, /--env needs KEY=VALUE/);
    const badKey = await helix(['deploy', '--env', '1BAD=x', '--project', 'my-app']);
    assert.equal(badKey.code, 1);
    assert.match(badKey.stderr, /^Error HLX_INVALID_ENV_KEY: /);
    assert.equal(api.requests.length, start);
  });
});
