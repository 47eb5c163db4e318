import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { bundle } from '../scripts/bundle.ts';
import { temporaryDir } from './run-helix.ts';

const run = promisify(execFile);
let outfile: string;

// Bundles into a temporary dir: a dist/ left in the package would shadow the source for bin/helix.js.
before(async () => {
  outfile = join(await temporaryDir('helix-bundle-'), 'helix.js');
  await bundle(outfile);
});

describe('the bundled helix (what npm pack ships)', () => {
  test('runs on its own: --version and --help exit 0', async () => {
    const version = await run(process.execPath, [outfile, '--version']);
    assert.equal(version.stdout, `${packageJson.version}\n`);
    const help = await run(process.execPath, [outfile, '--help']);
    assert.match(help.stdout, /Usage: helix <command>/);
  });

  test('helix server without the server package says it is not installed and exits 2', async () => {
    const error = await run(process.execPath, [outfile, 'server']).then(
      () => assert.fail('expected a failure'),
      (caught: { code: number; stderr: string }) => caught,
    );
    assert.equal(error.code, 2);
    assert.match(error.stderr, /^Error HLX_CLI_USAGE: The HelixStack server is not installed/);
  });

  test('helix server hands its arguments to runServer of the installed server package', async () => {
    const root = await temporaryDir('helix-with-server-');
    const serverDir = join(root, 'node_modules', '@helixstack', 'server');
    await mkdir(serverDir, { recursive: true });
    await writeFile(
      join(serverDir, 'package.json'),
      JSON.stringify({ name: '@helixstack/server', type: 'module', exports: './index.js' }),
    );
    await writeFile(
      join(serverDir, 'index.js'),
      'export function runServer(argv) { console.log(JSON.stringify(argv)); return 3; }\n',
    );
    const withServer = join(root, 'helix.js');
    await bundle(withServer);
    const error = await run(process.execPath, [withServer, 'server', '--port', '0', '--json']).then(
      () => assert.fail('expected exit code 3'),
      (caught: { code: number; stdout: string }) => caught,
    );
    assert.equal(error.code, 3);
    assert.deepEqual(JSON.parse(error.stdout), ['--port', '0', '--json']);
  });
});
