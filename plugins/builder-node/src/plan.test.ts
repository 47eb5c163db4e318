import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nodeBuilder } from './node-builder.ts';
import { type NodePlanDetails, readPlanDetails } from './plan.ts';
import { writeApp } from './testing.ts';

let root: string;
let listed = 0;
const builder = nodeBuilder({
  toolsDir: '/nonexistent',
  listNodeVersions: async () => {
    listed += 1;
    return ['18.20.4', '20.18.1', '22.3.0', '22.12.0', '23.1.0'];
  },
});

async function detail(
  files: Record<string, string | object>,
): Promise<NodePlanDetails & { summary: string }> {
  const dir = await writeApp(root, `app-${Math.random().toString(36).slice(2)}`, files);
  const plan = await builder.detect({ dir, digest: 'x' });
  assert.ok(plan);
  return { ...readPlanDetails(plan), summary: plan.summary };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'helix-node-plan-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('detect', () => {
  test('no package.json: not a node app', async () => {
    const dir = await writeApp(root, 'plain', { 'index.html': '<h1>hi</h1>' });
    assert.equal(await builder.detect({ dir, digest: 'x' }), null);
  });

  test('the start command: scripts.start, else main, else server.js, else index.js', async () => {
    const simple = await detail({
      'package.json': { scripts: { start: 'node --enable-source-maps app.js' } },
    });
    assert.deepEqual(simple.start, {
      via: 'node',
      args: ['--enable-source-maps', 'app.js'],
      from: 'scripts.start',
    });
    const shell = await detail({ 'package.json': { scripts: { start: 'next start -p $PORT' } } });
    assert.deepEqual(shell.start, { via: 'script', script: 'next start -p $PORT', from: 'scripts.start' });
    const main = await detail({ 'package.json': { main: 'lib/app.js' }, 'server.js': '' });
    assert.deepEqual(main.start, { via: 'node', args: ['lib/app.js'], from: 'main' });
    const server = await detail({ 'package.json': {}, 'server.js': '', 'index.js': '' });
    assert.deepEqual(server.start, { via: 'node', args: ['server.js'], from: 'server.js' });
    const index = await detail({ 'package.json': {}, 'index.js': '' });
    assert.equal(index.start?.from, 'index.js');
    const none = await detail({ 'package.json': { scripts: { build: 'vite build' } } });
    assert.equal(none.start, null);
    assert.equal(none.build, true);
    assert.match(none.summary, /build script, static output$/);
  });

  test('no dependencies: nothing to install; no lockfile: npm install, said in the plan', async () => {
    const bare = await detail({ 'package.json': { scripts: { start: 'node server.js' } } });
    assert.equal(bare.install, null);
    const unlocked = await detail({
      'package.json': { dependencies: { express: '^5.0.0' } },
      'server.js': '',
    });
    assert.deepEqual(unlocked.install, ['install', '--include=dev']);
    assert.equal(unlocked.packageManager.from, 'default');
    assert.match(unlocked.notes.join('\n'), /no lockfile/);
    assert.match(unlocked.summary, /npm \(no lockfile\)/);
    const pnpm = await detail({
      'package.json': { dependencies: { a: '1' } },
      'pnpm-lock.yaml': '',
      'index.js': '',
    });
    assert.deepEqual(pnpm.install, ['install', '--frozen-lockfile']);
  });

  test('engines.node picks the highest published match; without it, the server Node and no lookup', async () => {
    listed = 0;
    const bare = await detail({ 'package.json': {}, 'index.js': '' });
    assert.deepEqual(bare.node, { version: process.versions.node, from: 'server', range: null });
    assert.equal(listed, 0);
    const ranged = await detail({ 'package.json': { engines: { node: '>=20 <23' } }, 'index.js': '' });
    assert.deepEqual(ranged.node, { version: '22.12.0', from: 'engines', range: '>=20 <23' });
    assert.equal(listed, 1);
    assert.match(ranged.summary, /^node 22\.12\.0 app/);
  });

  test('an unsatisfiable or unreadable engines.node, or broken package.json, is a clear error', async () => {
    const dir99 = await writeApp(root, 'node99', { 'package.json': { engines: { node: '99.x' } } });
    await assert.rejects(builder.detect({ dir: dir99, digest: 'x' }), { code: 'HLX_BUILD_NODE_VERSION' });
    const lts = await writeApp(root, 'lts', { 'package.json': { engines: { node: 'lts/*' } } });
    await assert.rejects(builder.detect({ dir: lts, digest: 'x' }), { code: 'HLX_BUILD_NODE_VERSION' });
    const broken = await writeApp(root, 'broken', { 'package.json': '{ "name": ' });
    await assert.rejects(builder.detect({ dir: broken, digest: 'x' }), {
      code: 'HLX_BUILD_PACKAGE_JSON_INVALID',
    });
  });
});

test('a plan from another builder, or tampered with, is refused at build time', async () => {
  const good = await detail({ 'package.json': {}, 'index.js': '' });
  const { summary, ...details } = good;
  const plan = { builder: 'builder-node', summary, details };
  assert.deepEqual(readPlanDetails(plan), details);
  assert.throws(() => readPlanDetails({ ...plan, builder: 'builder-static' }), {
    code: 'HLX_BUILD_PLAN_INVALID',
  });
  const badVersion = { ...details, node: { ...details.node, version: '../../etc' } };
  assert.throws(() => readPlanDetails({ ...plan, details: badVersion }), { code: 'HLX_BUILD_PLAN_INVALID' });
  const badLockfile = { ...details, packageManager: { ...details.packageManager, lockfile: '/etc/passwd' } };
  assert.throws(() => readPlanDetails({ ...plan, details: badLockfile }), { code: 'HLX_BUILD_PLAN_INVALID' });
});
