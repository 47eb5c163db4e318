import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { blockedFolder } from '@helixstack/builder-static';
import { directoryBuildCache, exampleAppDir, exampleAppProbes, recordingContext } from '@helixstack/testkit';
import { nodeBuilder } from './node-builder.ts';
import { fetchFromBundle, startBuild, writeApp } from './testing.ts';

let root: string;
let builder: ReturnType<typeof nodeBuilder>;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'helix-node-build-test-'));
  builder = nodeBuilder({ toolsDir: join(root, 'tools') });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('dependency cache', () => {
  test('an unchanged lockfile restores node_modules instead of installing; a changed one installs', async () => {
    const cache = directoryBuildCache(join(root, 'cache'));
    const first = await startBuild(builder, exampleAppDir('express-app'), { outputRoot: root, cache });
    await first.result;
    const installLines = (text: string): number =>
      text.split('\n').filter((l) => l.startsWith('$ npm ci')).length;
    assert.equal(installLines(first.recording.text()), 1);
    assert.match(first.recording.text(), /dependencies saved to the cache/);
    assert.match(cache.keys[0] ?? '', /^node-modules-npm-[0-9a-f]{64}-node\d+$/);

    const second = await startBuild(builder, exampleAppDir('express-app'), { outputRoot: root, cache });
    const artifact = await second.result;
    assert.equal(installLines(second.recording.text()), 0, 'npm ci did not run');
    assert.match(second.recording.text(), /dependencies restored from cache/);
    assert.ok((await stat(join(artifact.ref, 'node_modules/express/package.json'))).isFile());
    for (const probe of await exampleAppProbes('express-app')) {
      assert.match(await fetchFromBundle(artifact, probe.path), new RegExp(probe.contains));
    }

    const edited = join(root, 'express-edited');
    await cp(exampleAppDir('express-app'), edited, { recursive: true });
    const lock = await readFile(join(edited, 'package-lock.json'), 'utf8');
    await writeFile(join(edited, 'package-lock.json'), `${lock}\n`);
    const third = await startBuild(builder, edited, { outputRoot: root, cache });
    await third.result;
    assert.equal(installLines(third.recording.text()), 1, 'a new lockfile is installed');
    assert.equal(new Set(cache.keys).size, 2);
  });
});

test('node-http builds without installing and answers its probes with the built start command', async () => {
  const build = await startBuild(builder, exampleAppDir('node-http'), {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c2')),
  });
  const artifact = await build.result;
  assert.match(build.recording.text(), /nothing to install/);
  const node = artifact.start?.command[0] ?? '';
  if (process.getuid?.() !== 0 || blockedFolder(process.execPath) === undefined) {
    assert.equal(node, process.execPath, 'the server Node is used as it is');
  } else {
    // Root behind a private folder: apps (run as nobody) get a copy in the tools folder.
    assert.ok(node.startsWith(`${root}/`), node);
  }
  assert.equal(artifact.metadata.node, process.versions.node);
  for (const probe of await exampleAppProbes('node-http')) {
    assert.match(await fetchFromBundle(artifact, probe.path), new RegExp(probe.contains));
  }
});

test('the environment reaches the build with NODE_ENV=production and is never echoed', async () => {
  const dir = await writeApp(root, 'env-app', {
    'package.json': { scripts: { build: 'node build.js' } },
    'build.js':
      "require('fs').writeFileSync('public/env.txt', process.env.API_KEY + ' ' + process.env.NODE_ENV);",
    'public/index.html': '<h1>env</h1>',
  });
  const build = await startBuild(builder, dir, {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c3')),
    env: { API_KEY: 'key-4f9a2c' },
  });
  const artifact = await build.result;
  assert.equal(artifact.kind, 'static');
  assert.equal(artifact.metadata.staticDir, 'public');
  assert.equal(await readFile(join(artifact.ref, 'env.txt'), 'utf8'), 'key-4f9a2c production');
  assert.ok(!build.recording.text().includes('key-4f9a2c'));
  assert.deepEqual(await readdir(build.outputDir), ['static'], 'the build folder is removed');
});

test('a failing build script throws HLX_BUILD_FAILED after its output is in the log', async () => {
  const dir = await writeApp(root, 'failing', {
    'package.json': { scripts: { build: 'node fail.js', start: 'node server.js' } },
    'fail.js':
      "console.log('compiling 3 files'); console.error('error: cannot resolve ./missing'); process.exit(3);",
    'server.js': '',
  });
  const build = await startBuild(builder, dir, {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c4')),
  });
  await assert.rejects(
    build.result,
    (error: Error & { code?: string; details?: Record<string, unknown> }) => {
      assert.equal(error.code, 'HLX_BUILD_FAILED');
      assert.match(error.message, /build step \(npm run build\) failed with exit code \d+/);
      assert.equal(error.details?.step, 'build');
      return true;
    },
  );
  const lines = build.recording.lines;
  assert.ok(
    lines.some((line) => line.stream === 'stderr' && line.text === 'error: cannot resolve ./missing'),
  );
  assert.ok(lines.some((line) => line.stream === 'stdout' && line.text === 'compiling 3 files'));
});

test('no start command and no static folder: HLX_BUILD_NO_OUTPUT', async () => {
  const dir = await writeApp(root, 'nothing', { 'package.json': { scripts: { build: 'node -e 0' } } });
  const build = await startBuild(builder, dir, {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c5')),
  });
  await assert.rejects(build.result, { code: 'HLX_BUILD_NO_OUTPUT' });
});

/** Running, or at least not a zombie waiting for its new parent to reap it. */
async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

test('aborting kills the build and the processes its script started', async () => {
  const pidFile = join(root, 'grandchild.pid');
  const dir = await writeApp(root, 'slow', {
    'package.json': { type: 'module', scripts: { build: 'node slow.js', start: 'node slow.js' } },
    'slow.js': [
      "import { spawn } from 'node:child_process';",
      "import { writeFileSync } from 'node:fs';",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      'writeFileSync(process.env.PID_FILE, String(child.pid));',
      "console.log('build started');",
      'setInterval(() => {}, 1000);',
    ].join('\n'),
  });
  const recording = recordingContext();
  recording.onLine = (line) => {
    if (line.text === 'build started') recording.controller.abort();
  };
  const build = await startBuild(builder, dir, {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c6')),
    env: { PID_FILE: pidFile },
    recording,
  });
  await assert.rejects(build.result, { name: 'AbortError' });
  const grandchild = Number(await readFile(pidFile, 'utf8'));
  // The group was sent SIGKILL before the build rejected; give the kernel a moment.
  for (let attempt = 0; attempt < 100 && (await alive(grandchild)); attempt++) await sleep(50);
  assert.equal(await alive(grandchild), false, 'the grandchild process is gone');
  assert.deepEqual(await readdir(build.outputDir), []);
});

test('what a build script leaves running is ended when the step exits, and does not hold the build', async () => {
  const pidFile = join(root, 'leftover.pid');
  const dir = await writeApp(root, 'leftover', {
    'package.json': { type: 'module', scripts: { build: 'node leave-behind.js' } },
    'leave-behind.js': [
      "import { spawn } from 'node:child_process';",
      "import { writeFileSync } from 'node:fs';",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });",
      'child.unref();',
      'writeFileSync(process.env.PID_FILE, String(child.pid));',
    ].join('\n'),
    'public/index.html': '<h1>left</h1>',
  });
  const build = await startBuild(builder, dir, {
    outputRoot: root,
    cache: directoryBuildCache(join(root, 'c7')),
    env: { PID_FILE: pidFile },
  });
  assert.equal((await build.result).kind, 'static');
  const leftover = Number(await readFile(pidFile, 'utf8'));
  for (let attempt = 0; attempt < 100 && (await alive(leftover)); attempt++) await sleep(50);
  assert.equal(await alive(leftover), false, 'the leftover process is gone');
});

test('pnpm: installs, then installs frozen from its lockfile and caches, then restores', async () => {
  // npx fetches pnpm here: corepack checks npm signatures, which some registry mirrors strip.
  const pnpmBuilder = nodeBuilder({ toolsDir: join(root, 'tools'), packageManagerLauncher: 'npx' });
  const cache = directoryBuildCache(join(root, 'c8'));
  const dir = await writeApp(root, 'pnpm-app', {
    'package.json': {
      packageManager: 'pnpm@9.15.0',
      dependencies: { ms: '2.1.3' },
      scripts: { start: 'node index.js' },
    },
    'index.js': "console.log(require('ms')(60000));",
  });
  const unlocked = await startBuild(pnpmBuilder, dir, { outputRoot: root, cache });
  const firstArtifact = await unlocked.result;
  assert.match(unlocked.recording.text(), /\$ npx --yes pnpm@9\.15\.0 install$/m);
  await cp(join(firstArtifact.ref, 'pnpm-lock.yaml'), join(dir, 'pnpm-lock.yaml'));

  const locked = await startBuild(pnpmBuilder, dir, { outputRoot: root, cache });
  await locked.result;
  assert.match(locked.recording.text(), /\$ npx --yes pnpm@9\.15\.0 install --frozen-lockfile$/m);
  assert.match(cache.keys.at(-1) ?? '', /^node-modules-pnpm-[0-9a-f]{64}-node\d+$/);

  const restored = await startBuild(pnpmBuilder, dir, { outputRoot: root, cache });
  const artifact = await restored.result;
  assert.match(restored.recording.text(), /dependencies restored from cache/);
  assert.doesNotMatch(restored.recording.text(), /pnpm@9\.15\.0 install/);
  const [command = '', ...args] = artifact.start?.command ?? [];
  const { stdout } = await promisify(execFile)(command, args, { cwd: artifact.ref });
  assert.equal(stdout.trim(), '1m', 'the restored node_modules (pnpm symlinks) resolve');
});
