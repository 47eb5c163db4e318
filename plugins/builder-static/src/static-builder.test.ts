import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  builderConformance,
  directoryBuildCache,
  exampleAppDir,
  recordingContext,
} from '@helixstack/testkit';
import { staticBuilder } from './static-builder.ts';

builderConformance('staticBuilder', () => staticBuilder(), [
  { name: 'static-site', dir: exampleAppDir('static-site'), expect: 'static' },
  { name: 'node-http', dir: exampleAppDir('node-http'), expect: null },
  { name: 'bundled-app', dir: exampleAppDir('bundled-app'), expect: null },
]);

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'helix-builder-static-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a folder with index.html and package.json is left to the node builder', async () => {
  const dir = join(root, 'both');
  await mkdir(dir);
  await writeFile(join(dir, 'index.html'), '<h1>hi</h1>');
  await writeFile(join(dir, 'package.json'), '{}');
  assert.equal(await staticBuilder().detect({ dir, digest: 'x' }), null);
});

test('the site is copied to outputDir/static without .git, readable by everyone, 404.html noted', async () => {
  const builder = staticBuilder();
  const dir = join(root, 'site');
  await cp(exampleAppDir('static-site'), dir, { recursive: true });
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await chmod(join(dir, 'style.css'), 0o600);
  const source = { dir, digest: 'x' };
  const plan = await builder.detect(source);
  assert.ok(plan);
  assert.equal(plan.details.notFound, '404.html');
  const outputDir = join(root, 'out');
  await mkdir(outputDir, { mode: 0o700 });
  const recording = recordingContext();
  const artifact = await builder.build(recording.ctx, {
    source,
    plan,
    env: {},
    cache: directoryBuildCache(join(root, 'cache')),
    outputDir,
  });
  assert.equal(artifact.ref, join(outputDir, 'static'));
  assert.deepEqual((await readdir(artifact.ref)).sort(), [
    '404.html',
    'README.md',
    'index.html',
    'probes.json',
    'style.css',
  ]);
  assert.equal(artifact.metadata.notFound, '404.html');
  assert.equal((await stat(outputDir)).mode & 0o005, 0o005, 'outputDir can be entered by others');
  assert.equal((await stat(join(artifact.ref, 'style.css'))).mode & 0o777, 0o644);
});

test('an aborted build stops before copying', async () => {
  const builder = staticBuilder();
  const source = { dir: exampleAppDir('static-site'), digest: 'x' };
  const plan = await builder.detect(source);
  assert.ok(plan);
  const recording = recordingContext();
  recording.controller.abort();
  const outputDir = join(root, 'aborted');
  await mkdir(outputDir);
  const input = { source, plan, env: {}, cache: directoryBuildCache(join(root, 'cache')), outputDir };
  await assert.rejects(builder.build(recording.ctx, input), { name: 'AbortError' });
  assert.deepEqual(await readdir(outputDir), []);
});
