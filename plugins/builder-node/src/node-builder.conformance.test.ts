import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { builderConformance, exampleAppDir } from '@helixstack/testkit';
import { nodeBuilder } from './node-builder.ts';

const toolsDir = await mkdtemp(join(tmpdir(), 'helix-node-tools-'));
after(() => rm(toolsDir, { recursive: true, force: true }));

// The examples use no engines.node: builds run on the server's Node, nothing to download.
builderConformance('nodeBuilder', () => nodeBuilder({ toolsDir }), [
  { name: 'node-http', dir: exampleAppDir('node-http'), expect: 'process-bundle' },
  { name: 'express-app', dir: exampleAppDir('express-app'), expect: 'process-bundle' },
  { name: 'bundled-app', dir: exampleAppDir('bundled-app'), expect: 'static' },
  { name: 'static-site', dir: exampleAppDir('static-site'), expect: null },
]);
