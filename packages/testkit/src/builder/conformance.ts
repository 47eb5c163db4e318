import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type Artifact,
  type ArtifactKind,
  type Builder,
  type BuildPlan,
  type SourceTree,
  validatePlugin,
} from '@helixstack/sdk';
import { directoryBuildCache } from './directory-cache.ts';
import { recordingContext } from './recording-context.ts';
import { snapshotDigest, snapshotTree } from './tree-snapshot.ts';

export interface BuilderFixture {
  /** Used in test names. */
  name: string;
  /** The app's folder; the suite builds a copy of it, never the folder itself. */
  dir: string;
  /** The artifact kind a build must give, or null when detect must refuse the source. */
  expect: ArtifactKind | null;
  /** Environment variables for the build, besides the secret the suite adds to every build. */
  env?: Record<string, string>;
}

/** Never copied into a fixture's source: what source intake leaves out too. */
const notSource = new Set(['node_modules', '.git', '.helix']);

async function sourceCopy(fixture: BuilderFixture, dest: string): Promise<SourceTree> {
  await cp(fixture.dir, dest, { recursive: true, filter: (path) => !notSource.has(basename(path)) });
  return { dir: dest, digest: snapshotDigest(await snapshotTree(dest)) };
}

function assertArtifact(artifact: Artifact, expected: ArtifactKind, outputDir: string): void {
  assert.equal(artifact.kind, expected);
  assert.match(artifact.digest, /^[0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(JSON.stringify(artifact)), artifact, 'the artifact is plain JSON');
  for (const value of Object.values(artifact.metadata)) assert.equal(typeof value, 'string');
  if (artifact.kind === 'static' || artifact.kind === 'process-bundle') {
    assert.ok(isAbsolute(artifact.ref), 'ref is an absolute path');
    const inside = relative(outputDir, artifact.ref);
    assert.ok(!inside.startsWith('..') && !isAbsolute(inside), `ref ${artifact.ref} is inside outputDir`);
  }
  if (artifact.kind === 'process-bundle') {
    assert.ok(artifact.start && artifact.start.command.length > 0, 'a process bundle says how to start it');
  }
}

/**
 * The Builder contract as steps: detect -> plan, build -> artifact, build again -> same
 * digest, source unchanged; and detect refuses what the builder does not handle. Every
 * builder plug-in and the fake run it.
 */
export function builderConformance(
  name: string,
  makeBuilder: () => Builder | Promise<Builder>,
  fixtures: readonly BuilderFixture[],
): void {
  describe(`${name} meets the Builder contract`, () => {
    let builder: Builder;
    let root: string;
    const secret = `conformance-secret-${randomBytes(8).toString('hex')}`;

    before(async () => {
      builder = await makeBuilder();
      root = await mkdtemp(join(tmpdir(), 'helix-builder-conformance-'));
    });
    after(async () => {
      await builder?.close?.();
      await rm(root, { recursive: true, force: true });
    });

    test('the plug-in passes the load-time checks', () => {
      validatePlugin(builder);
      assert.equal(builder.manifest.kind, 'builder');
    });

    for (const fixture of fixtures) {
      if (fixture.expect === null) {
        test(`detect refuses ${fixture.name}`, async () => {
          const source = await sourceCopy(fixture, join(root, `refused-${fixture.name}`));
          assert.equal(await builder.detect(source), null);
        });
        continue;
      }
      const expected = fixture.expect;
      test(`${fixture.name}: detect, build, build again`, async (t) => {
        const base = join(root, fixture.name);
        const source = await sourceCopy(fixture, join(base, 'source'));
        const before = await snapshotTree(source.dir);
        const cache = directoryBuildCache(join(base, 'cache'));
        const env = { ...fixture.env, HELIX_CONFORMANCE_SECRET: secret };
        let plan: BuildPlan | null = null;
        let first: Artifact | undefined;

        const buildOnce = async (outputName: string): Promise<Artifact> => {
          assert.ok(plan, 'detect made a plan');
          const outputDir = join(base, outputName);
          await mkdir(outputDir);
          const recording = recordingContext();
          const artifact = await builder.build(recording.ctx, { source, plan, env, cache, outputDir });
          assertArtifact(artifact, expected, outputDir);
          assert.ok(recording.lines.length > 0, 'the build wrote output');
          const turns = new Set(recording.lines.map((line) => line.turn));
          assert.ok(turns.size >= 2, 'output lines are streamed as the build runs, not all at the end');
          assert.ok(!recording.text().includes(secret), 'no environment value is echoed in the output');
          return artifact;
        };

        await t.test('detect returns a plan of plain JSON', async () => {
          plan = await builder.detect(source);
          assert.ok(plan, `${name} detects ${fixture.name}`);
          assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
          assert.equal(plan.builder, builder.manifest.id);
          assert.ok(plan.summary.length > 0);
        });

        await t.test(`build streams its output and gives a ${expected} artifact in outputDir`, async () => {
          first = await buildOnce('output-1');
          if (expected === 'static' || expected === 'process-bundle') {
            assert.ok((await stat(first.ref)).isDirectory(), 'ref is a folder');
          }
        });

        await t.test('building the same input again gives the same digest', async () => {
          assert.ok(first, 'the first build succeeded');
          const second = await buildOnce('output-2');
          assert.equal(second.digest, first.digest);
        });

        await t.test('the source folder is unchanged', async () => {
          assert.deepEqual(await snapshotTree(source.dir), before);
        });
      });
    }
  });
}
