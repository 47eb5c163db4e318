// Bundles the CLI into one file, dist/helix.js, for the packed package (npm pack runs this as prepack).
// Usage: node scripts/bundle.ts [--outfile <path>] | node scripts/bundle.ts --clean
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));
export const defaultOutfile = `${cliRoot}dist/helix.js`;

/** Writes a self-contained ESM bundle: only node builtins and the optional server package stay outside. */
export async function bundle(outfile = defaultOutfile): Promise<void> {
  await build({
    entryPoints: [`${cliRoot}src/main.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@helixstack/server'],
    legalComments: 'none',
    // CommonJS dependencies (tar-stream and its stream helpers) require node builtins at run time.
    banner: {
      js: "import { createRequire as __helixCreateRequire } from 'node:module';\nconst require = __helixCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { outfile: { type: 'string' }, clean: { type: 'boolean' } } });
  if (values.clean) await rm(`${cliRoot}dist`, { recursive: true, force: true });
  else await bundle(values.outfile);
}
