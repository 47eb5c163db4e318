import { createHash } from 'node:crypto';
import { HelixError, type Source } from '@helixstack/sdk';
import { cloneGit, parseGitSource, redactUrl } from '@helixstack/source';

export interface GitSourceOptions {
  /** file:// and local paths; an admin setting (HELIX_ALLOW_LOCAL_SOURCES). */
  allowLocal: boolean;
  /** A clone that takes longer is stopped. */
  timeoutMs?: number;
}

/** Shallow-clones the ref of a git URL; the URL and ref are validated and passed as data. */
export function gitSource(options: GitSourceOptions): Source {
  return {
    manifest: {
      id: 'source-git',
      kind: 'source',
      contractVersion: '1',
      description: 'Sources from git repositories over https, ssh or git',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities: [],
    },
    handles: ['git'],
    async fetch(ctx, { spec, dest }) {
      if (spec.type !== 'git')
        throw new HelixError('HLX_SOURCE_REQUIRED', 'source-git fetches git sources only.');
      const source = parseGitSource({ url: spec.url, ref: spec.ref }, { allowLocal: options.allowLocal });
      ctx.progress(`Cloning ${redactUrl(source.url)} at ${source.ref}`);
      const commit = await cloneGit({
        url: source.url,
        ref: source.ref,
        dest,
        signal: ctx.signal,
        allowLocal: options.allowLocal,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      ctx.progress(`Cloned commit ${commit}`);
      return { dir: dest, digest: createHash('sha256').update(`git:${commit}`).digest('hex'), commit };
    },
  };
}
