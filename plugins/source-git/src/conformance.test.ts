import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { recordingContext, sourceConformance } from '@helixstack/testkit';
import { gitSource } from './index.ts';

const work = await mkdtemp(join(tmpdir(), 'helix-source-git-conformance-'));
const repo = join(work, 'origin');
const url = `file://${repo}`;
after(() => rm(work, { recursive: true, force: true }));

function git(...args: string[]): string {
  const identity = ['-c', 'user.name=Helix Test', '-c', 'user.email=test@helix.invalid'];
  return execFileSync('git', [...identity, '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

async function commit(files: Record<string, string>, message: string): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  git('add', '--all');
  git('commit', '-q', '-m', message);
}

const main = { 'README.md': 'main\n', 'src/server.js': 'console.log("v1");\n' };
const feature = { ...main, 'src/server.js': 'console.log("v2");\n', 'src/login.js': 'export {};\n' };

await mkdir(repo);
git('init', '-q', '-b', 'main');
await commit(main, 'first');
git('checkout', '-q', '-b', 'feature/login');
await commit(feature, 'login');
git('checkout', '-q', 'main');

sourceConformance('source-git', () => gitSource({ allowLocal: true }), {
  spec: { type: 'git', url, ref: 'main' },
  files: main,
  other: { spec: { type: 'git', url, ref: 'feature/login' }, files: feature },
  missing: { type: 'git', url, ref: 'no-such-branch' },
  abortable: true,
});

test('source-git reports the commit it cloned, and the digest follows the commit', async () => {
  const source = gitSource({ allowLocal: true });
  const spec = { type: 'git', url, ref: 'main' } as const;
  const first = await source.fetch(recordingContext().ctx, { spec, dest: join(work, 'commit-1') });
  assert.equal(first.commit, git('rev-parse', 'main'));
  await commit({ 'README.md': 'main, later\n' }, 'later');
  const later = await source.fetch(recordingContext().ctx, { spec, dest: join(work, 'commit-2') });
  assert.equal(later.commit, git('rev-parse', 'main'));
  assert.notEqual(later.digest, first.digest);
});

test('source-git refuses local repositories unless the server allows them', async () => {
  const source = gitSource({ allowLocal: false });
  const dest = join(work, 'refused');
  await assert.rejects(
    source.fetch(recordingContext().ctx, { spec: { type: 'git', url, ref: 'main' }, dest }),
    {
      code: 'HLX_GIT_URL_INVALID',
    },
  );
});
