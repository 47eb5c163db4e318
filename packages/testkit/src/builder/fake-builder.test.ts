import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builderConformance } from './conformance.ts';
import { directoryBuildCache } from './directory-cache.ts';
import { exampleAppDir } from './examples.ts';
import { fakeBuilder } from './fake-builder.ts';
import { recordingContext } from './recording-context.ts';

builderConformance('fakeBuilder', () => fakeBuilder(), [
  { name: 'static-site', dir: exampleAppDir('static-site'), expect: 'static' },
  { name: 'node-http', dir: exampleAppDir('node-http'), expect: null },
]);

test('a failing fake build throws HLX_BUILD_FAILED after printing its line', async () => {
  const root = await mkdtemp(join(tmpdir(), 'helix-fake-builder-'));
  try {
    const builder = fakeBuilder({ failWith: 'boom' });
    const source = { dir: exampleAppDir('static-site'), digest: 'x' };
    const plan = await builder.detect(source);
    assert.ok(plan);
    const recording = recordingContext();
    await mkdir(join(root, 'out'));
    const input = {
      source,
      plan,
      env: {},
      cache: directoryBuildCache(join(root, 'cache')),
      outputDir: join(root, 'out'),
    };
    await assert.rejects(builder.build(recording.ctx, input), { code: 'HLX_BUILD_FAILED' });
    assert.ok(recording.lines.some((line) => line.stream === 'stderr' && line.text === 'boom'));
    assert.equal(builder.builds, 1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
