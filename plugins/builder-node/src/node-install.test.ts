import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { directoryBuildCache } from '@helixstack/testkit';
import { nodeBuilder } from './node-builder.ts';
import { nodePackageName, registryNodeVersions } from './node-versions.ts';
import { startBuild, writeApp } from './testing.ts';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'helix-node-install-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

// One real download (~30 MB from the npm registry), shared by the builds of this test.
test('engines.node "22.x" resolves against the registry and is installed once, by concurrent builds too', async () => {
  const toolsDir = join(root, 'tools');
  const builder = nodeBuilder({ toolsDir });
  const dir = await writeApp(root, 'node22', {
    'package.json': {
      engines: { node: '22.x' },
      scripts: { build: 'node build.js', start: 'node server.js' },
    },
    'build.js': "require('fs').writeFileSync('built-with.txt', process.version);",
    'server.js': '',
  });
  const published = await registryNodeVersions()();
  const newest22 = published
    .filter((version) => /^22\.\d+\.\d+$/.test(version))
    .map((version) => version.split('.').map(Number))
    .sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0))
    .at(-1)
    ?.join('.');

  const cache = directoryBuildCache(join(root, 'cache'));
  const [first, second] = await Promise.all([
    startBuild(builder, dir, { outputRoot: root, cache }),
    startBuild(builder, dir, { outputRoot: root, cache }),
  ]);
  assert.deepEqual(first.plan.details.node, { version: newest22, from: 'engines', range: '22.x' });
  const artifacts = await Promise.all([first.result, second.result]);
  const log = `${first.recording.text()}\n${second.recording.text()}`;
  assert.equal(log.match(/installing Node\.js 22\./g)?.length, 1, 'one download for two builds');
  assert.match(log, /waiting for the install of Node\.js 22\./);

  const binary = join(toolsDir, 'node', newest22 ?? '', 'node_modules', nodePackageName, 'bin', 'node');
  for (const artifact of artifacts) {
    assert.equal(artifact.start?.command[0], binary);
    assert.equal(artifact.metadata.node, newest22);
    assert.equal(
      await readFile(join(artifact.ref, 'built-with.txt'), 'utf8'),
      `v${newest22}`,
      'the build ran on it',
    );
  }
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  assert.equal(stdout.trim(), `v${newest22}`);
  assert.deepEqual(await readdir(join(toolsDir, 'node')), [newest22], 'no temporary install folder is left');

  const third = await startBuild(nodeBuilder({ toolsDir }), dir, { outputRoot: root, cache });
  await third.result;
  assert.doesNotMatch(third.recording.text(), /installing Node\.js/, 'the installed version is reused');
});
