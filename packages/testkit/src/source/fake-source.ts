import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HelixError, type Source } from '@helixstack/sdk';

/** Trees the fake serves: by upload digest, then file path to content. */
export type FakeSourceTrees = Record<string, Record<string, string>>;

export interface FakeSource extends Source {
  /** Fetches made so far, failed ones included. */
  readonly fetches: number;
}

/**
 * A Source that serves upload specs from memory, for tests that need a source tree
 * without a blob store. Paths are trusted: they come from the test, not from a user.
 */
export function fakeSource(trees: FakeSourceTrees): FakeSource {
  for (const digest of Object.keys(trees)) {
    if (!/^[0-9a-f]{64}$/.test(digest)) throw new TypeError(`${digest} is not a sha256 hex digest`);
  }
  let fetches = 0;
  return {
    manifest: {
      id: 'source-fake',
      kind: 'source',
      contractVersion: '1',
      description: 'In-memory upload sources for tests',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities: [],
    },
    handles: ['upload'],
    get fetches() {
      return fetches;
    },
    async fetch(ctx, { spec, dest }) {
      fetches += 1;
      if (spec.type !== 'upload')
        throw new HelixError('HLX_SOURCE_REQUIRED', 'source-fake serves uploads only.');
      const files = Object.hasOwn(trees, spec.digest) ? trees[spec.digest] : undefined;
      if (!files) {
        throw new HelixError('HLX_SOURCE_INCOMPLETE', `The uploaded source ${spec.digest} is not stored.`);
      }
      ctx.signal.throwIfAborted();
      await mkdir(dest, { recursive: true });
      try {
        for (const [path, content] of Object.entries(files)) {
          ctx.signal.throwIfAborted();
          await mkdir(dirname(join(dest, path)), { recursive: true });
          await writeFile(join(dest, path), content);
        }
      } catch (error) {
        // The host owns dest; a half tree must not look like a source.
        await rm(dest, { recursive: true, force: true });
        throw error;
      }
      return { dir: dest, digest: spec.digest };
    },
  };
}
