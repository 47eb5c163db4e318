#!/usr/bin/env node
// Runs the bundle when the package was packed (npm pack builds dist/), else the TypeScript source.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/helix.js', import.meta.url);
const entry = existsSync(bundle) ? bundle : new URL('../src/main.ts', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
