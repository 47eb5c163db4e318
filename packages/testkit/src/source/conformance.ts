import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HelixError, type Source, type SourceSpec, validatePlugin } from '@helixstack/sdk';
import { recordingContext } from '../builder/recording-context.ts';
import { silentLogger } from '../runtime/test-context.ts';
import { entriesOrNull, readTree } from './read-tree.ts';

/** One tree a source can fetch, and what it must hold. */
export interface SourceTreeFixture {
  spec: SourceSpec;
  /** Every file of the fetched tree by posix path, as readTree reads it. */
  files: Record<string, string>;
}

export interface SourceFixture extends SourceTreeFixture {
  /** Another tree of the same source: other files, so another digest. */
  other: SourceTreeFixture;
  /** A spec of a handled type that names nothing there (an unknown digest, a missing branch). */
  missing: SourceSpec;
  /**
   * True when an aborted ctx.signal must make fetch reject (a clone, a download). A fetch
   * that is only local disk work may finish instead, but never leaves half a tree.
   */
  abortable: boolean;
}

/** One spec of every type, to check that a source refuses the types it does not handle. */
const specOfEachType: Record<SourceSpec['type'], SourceSpec> = {
  upload: { type: 'upload', digest: '0'.repeat(64) },
  git: { type: 'git', url: 'https://git.example.invalid/app.git', ref: 'main' },
};

const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function isHelixError(error: unknown): true {
  assert.ok(error instanceof HelixError, `expected a HelixError, got ${String(error)}`);
  assert.match(error.code, /^HLX_/);
  return true;
}

async function assertNothingWritten(dest: string): Promise<void> {
  const entries = await entriesOrNull(dest);
  assert.ok(entries === null || entries.length === 0, `nothing written into dest, found ${entries}`);
}

/**
 * The Source contract as steps: fetch into an empty folder, fetch again (same digest and
 * files), fetch another tree (another digest), refuse foreign and missing specs without
 * writing, stop on an aborted signal. Every source plug-in and the fake run it.
 */
export function sourceConformance(
  name: string,
  makeSource: () => Source | Promise<Source>,
  fixture: SourceFixture | (() => SourceFixture | Promise<SourceFixture>),
): void {
  describe(`${name} meets the Source contract`, () => {
    let source: Source;
    let cases: SourceFixture;
    let root: string;
    let firstDigest: string | undefined;
    let firstCommit: string | undefined;
    let dests = 0;
    /** A new path: the host hands over a folder that is empty or not made yet. */
    const newDest = (): string => join(root, `dest-${++dests}`);
    const emptyDest = async (): Promise<string> => {
      const dest = newDest();
      await mkdir(dest);
      return dest;
    };
    const fetch = (spec: SourceSpec, dest: string, signal?: AbortSignal) => {
      const recording = recordingContext();
      if (signal?.aborted) recording.controller.abort(signal.reason);
      return source.fetch(recording.ctx, { spec, dest });
    };

    before(async () => {
      source = await makeSource();
      await source.init?.({ logger: silentLogger, signal: new AbortController().signal });
      cases = typeof fixture === 'function' ? await fixture() : fixture;
      root = await mkdtemp(join(tmpdir(), 'helix-source-conformance-'));
    });
    after(async () => {
      await source?.close?.();
      if (root) await rm(root, { recursive: true, force: true });
    });

    test('the plug-in passes the load-time checks and handles the fixture spec type', () => {
      validatePlugin(source);
      assert.equal(source.manifest.kind, 'source');
      assert.ok(source.handles.includes(cases.spec.type), `handles ${cases.spec.type}`);
      assert.ok(source.handles.includes(cases.other.spec.type), `handles ${cases.other.spec.type}`);
    });

    test('fetch writes the expected files into an empty dest and names the tree by digest', async () => {
      const dest = await emptyDest();
      const tree = await fetch(cases.spec, dest);
      assert.equal(tree.dir, dest);
      assert.match(tree.digest, /^[0-9a-f]{64}$/);
      assert.deepEqual(JSON.parse(JSON.stringify(tree)), tree, 'the tree is plain JSON');
      if (cases.spec.type === 'upload')
        assert.equal(tree.digest, cases.spec.digest, 'an upload is its digest');
      if (tree.commit !== undefined) assert.match(tree.commit, commitPattern);
      assert.deepEqual(await readTree(dest), cases.files);
      firstDigest = tree.digest;
      firstCommit = tree.commit;
    });

    test('fetching the same spec again into a new dest gives the same digest and files', async () => {
      assert.ok(firstDigest, 'the first fetch succeeded');
      const dest = newDest();
      const tree = await fetch(cases.spec, dest);
      assert.equal(tree.dir, dest);
      assert.equal(tree.digest, firstDigest);
      assert.equal(tree.commit, firstCommit);
      assert.deepEqual(await readTree(dest), cases.files);
    });

    test('another tree of the same source gets its own files and another digest', async () => {
      const dest = await emptyDest();
      const tree = await fetch(cases.other.spec, dest);
      assert.match(tree.digest, /^[0-9a-f]{64}$/);
      assert.notEqual(tree.digest, firstDigest);
      assert.deepEqual(await readTree(dest), cases.other.files);
    });

    test('a spec of a type it does not handle is refused with an HLX_ error and writes nothing', async () => {
      const foreign = Object.values(specOfEachType).filter((spec) => !source.handles.includes(spec.type));
      if (foreign.length === 0) {
        assert.deepEqual([...source.handles].sort(), Object.keys(specOfEachType).sort());
      }
      for (const spec of foreign) {
        const dest = await emptyDest();
        await assert.rejects(fetch(spec, dest), isHelixError, `a ${spec.type} spec is refused`);
        await assertNothingWritten(dest);
      }
    });

    test('a spec that names nothing is refused with an HLX_ error and writes nothing', async () => {
      const dest = await emptyDest();
      await assert.rejects(fetch(cases.missing, dest), isHelixError);
      await assertNothingWritten(dest);
    });

    test('an aborted signal stops the fetch without leaving half a tree', async () => {
      const dest = await emptyDest();
      const fetching = fetch(cases.spec, dest, AbortSignal.abort());
      if (cases.abortable) {
        await assert.rejects(fetching);
        await assertNothingWritten(dest);
        return;
      }
      const finished = await fetching.then(
        () => true,
        () => false,
      );
      if (finished) assert.deepEqual(await readTree(dest), cases.files);
      else await assertNothingWritten(dest);
    });
  });
}
