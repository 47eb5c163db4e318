import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cloneArgs, cloneGit } from './git-clone.ts';
import { parseGitSource } from './git-source.ts';
import { makeTempDir } from './testing.ts';

let work: string;
let repoUrl: string;
let featureCommit: string;
let clones = 0;

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    [
      '-c',
      'user.name=Helix Test',
      '-c',
      'user.email=test@helix.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

function nextDest(): string {
  clones += 1;
  return join(work, 'clones', `c${clones}`);
}

before(async () => {
  work = await makeTempDir('git');
  const repo = join(work, 'origin');
  await mkdir(repo);
  git(repo, 'init', '-q', '-b', 'main');
  await writeFile(join(repo, 'README.md'), 'main v1\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'one');
  await writeFile(join(repo, 'README.md'), 'main v2\n');
  git(repo, 'commit', '-q', '-am', 'two');
  git(repo, 'tag', 'v1.0.0');
  git(repo, 'checkout', '-q', '-b', 'feature/login');
  await writeFile(join(repo, 'login.js'), 'export const login = true;\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'login');
  featureCommit = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', 'main');
  repoUrl = `file://${repo}`;
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A TCP server on 127.0.0.1 that accepts and then either hangs up or says nothing. */
async function listen(onSocket: (socket: import('node:net').Socket) => void): Promise<Server> {
  const server = createServer(onSocket);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('cloneGit with a real local repository', () => {
  test('shallow-clones a branch, returns its commit and drops .git', async () => {
    const dest = nextDest();
    const commit = await cloneGit({ url: repoUrl, ref: 'feature/login', dest, allowLocal: true });
    assert.equal(commit, featureCommit);
    assert.equal(readFileSync(join(dest, 'login.js'), 'utf8'), 'export const login = true;\n');
    assert.equal(readFileSync(join(dest, 'README.md'), 'utf8'), 'main v2\n');
    assert.equal(existsSync(join(dest, '.git')), false);
  });

  test('clones a tag', async () => {
    const dest = nextDest();
    await cloneGit({ url: repoUrl, ref: 'v1.0.0', dest, allowLocal: true });
    assert.deepEqual(readdirSync(dest), ['README.md']);
  });

  test('refuses a file:// URL unless local sources are allowed', async () => {
    const dest = nextDest();
    await assert.rejects(cloneGit({ url: repoUrl, ref: 'main', dest }), { code: 'HLX_GIT_URL_INVALID' });
    assert.equal(existsSync(dest), false);
  });

  test('an unknown ref fails with git stderr and leaves no folder', async () => {
    const dest = nextDest();
    await assert.rejects(
      cloneGit({ url: repoUrl, ref: 'no-such-branch', dest, allowLocal: true }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'HLX_GIT_CLONE_FAILED');
        assert.match(error.message, /no-such-branch/);
        assert.equal(error.message.includes(dest), false, 'the build folder is not shown');
        return true;
      },
    );
    assert.equal(existsSync(dest), false);
  });

  test('refs and URLs with shell syntax are passed as data: no command runs', async () => {
    const marker = `/tmp/x-${randomBytes(6).toString('hex')}`;
    const refs = [`main;touch\${IFS}${marker}`, `$(touch\${IFS}${marker})`, `\`touch\${IFS}${marker}\``];
    for (const ref of refs) {
      await assert.rejects(cloneGit({ url: repoUrl, ref, dest: nextDest(), allowLocal: true }), {
        code: 'HLX_GIT_CLONE_FAILED',
      });
    }
    await assert.rejects(
      cloneGit({ url: `${repoUrl};touch\${IFS}${marker}`, ref: 'main', dest: nextDest(), allowLocal: true }),
      { code: 'HLX_GIT_CLONE_FAILED' },
    );
    assert.equal(existsSync(marker), false, 'no shell ran the injected command');
  });

  test('the folder must be new or empty', async () => {
    const dest = nextDest();
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'keep.txt'), 'mine');
    await assert.rejects(cloneGit({ url: repoUrl, ref: 'main', dest, allowLocal: true }));
    assert.equal(readFileSync(join(dest, 'keep.txt'), 'utf8'), 'mine');
  });
});

describe('cloneGit against failing remotes', () => {
  test('a failed https clone never shows the credentials of the URL', async () => {
    const server = await listen((socket) => socket.destroy());
    try {
      const url = `https://helix:s3cr3t-token@127.0.0.1:${portOf(server)}/app.git`;
      await assert.rejects(
        cloneGit({ url, ref: 'main', dest: nextDest() }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'HLX_GIT_CLONE_FAILED');
          assert.doesNotMatch(JSON.stringify({ message: error.message, error }), /s3cr3t/);
          return true;
        },
      );
    } finally {
      server.close();
    }
  });

  test('a silent remote is cut off by the timeout, and an abort ends the clone', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = await listen((socket) => sockets.add(socket));
    try {
      const url = `git://127.0.0.1:${portOf(server)}/app.git`;
      await assert.rejects(
        cloneGit({ url, ref: 'main', dest: nextDest(), timeoutMs: 300 }),
        (error: Error) => {
          assert.match(error.message, /timed out/);
          return true;
        },
      );
      const controller = new AbortController();
      const cloning = cloneGit({ url, ref: 'main', dest: nextDest(), signal: controller.signal });
      setTimeout(() => controller.abort(new Error('deployment canceled')), 100);
      await assert.rejects(cloning, /deployment canceled/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe('cloneArgs', () => {
  test('one argument per value, options ended before the URL, file protocol off by default', () => {
    const source = parseGitSource({ url: 'https://example.com/app.git', ref: 'main' });
    const args = cloneArgs(source, '/srv/builds/b1', 1, false);
    assert.deepEqual(args.slice(args.indexOf('clone')), [
      'clone',
      '--quiet',
      '--depth',
      '1',
      '--branch',
      'main',
      '--no-tags',
      '--',
      'https://example.com/app.git',
      '/srv/builds/b1',
    ]);
    assert.ok(args.includes('protocol.file.allow=never'));
    assert.ok(args.includes('protocol.ext.allow=never'));
    const local = parseGitSource({ url: '/srv/app', ref: 'main' }, { allowLocal: true });
    assert.equal(cloneArgs(local, '/d', 1, true).includes('protocol.file.allow=never'), false);
  });
});
