import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Artifact, type Builder, HelixError } from '@helixstack/sdk';

export interface FakeBuilderOptions {
  id?: string;
  /** Makes every build fail with HLX_BUILD_FAILED after printing this line. */
  failWith?: string;
}

export interface FakeBuilder extends Builder {
  /** How many builds ran, for tests of the build plane. */
  readonly builds: number;
}

async function readTree(
  root: string,
  prefix = '',
  out = new Map<string, Buffer>(),
): Promise<Map<string, Buffer>> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await readTree(root, path, out);
    else if (entry.isFile()) out.set(path, await readFile(join(root, path)));
  }
  return out;
}

/**
 * A builder without processes or network: a folder with index.html becomes a 'static'
 * artifact, a copy of the files made in memory. Passes the Builder conformance suite.
 */
export function fakeBuilder(options: FakeBuilderOptions = {}): FakeBuilder {
  const id = options.id ?? 'builder-fake';
  let builds = 0;
  return {
    manifest: {
      id,
      kind: 'builder',
      contractVersion: '1',
      description: 'Test builder: copies a folder with index.html as a static site.',
      configSchema: { type: 'object' },
      capabilities: [],
    },
    get builds() {
      return builds;
    },

    async detect(source) {
      const ok = await access(join(source.dir, 'index.html')).then(
        () => true,
        () => false,
      );
      return ok
        ? { builder: id, summary: 'static files (fake builder)', details: { index: 'index.html' } }
        : null;
    },

    async build(ctx, input): Promise<Artifact> {
      builds += 1;
      ctx.output('system', 'reading the source');
      const files = await readTree(input.source.dir);
      ctx.signal.throwIfAborted();
      if (options.failWith !== undefined) {
        ctx.output('stderr', options.failWith);
        throw new HelixError('HLX_BUILD_FAILED', 'The fake build failed with exit code 1.', {
          step: 'build',
        });
      }
      const ref = join(input.outputDir, 'site');
      const hash = createHash('sha256');
      for (const [path, content] of files) {
        await mkdir(dirname(join(ref, path)), { recursive: true });
        await writeFile(join(ref, path), content);
        ctx.output('stdout', `copied ${path}`);
        hash.update(`${path}\0${content.length}\0${createHash('sha256').update(content).digest('hex')}\n`);
      }
      return { kind: 'static', ref, digest: hash.digest('hex'), metadata: { files: String(files.size) } };
    },
  };
}
