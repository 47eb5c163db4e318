// Runs every *.test.ts of the workspaces (and e2e/) with node's test runner on the bundled Node.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const patterns = process.argv.slice(2);
const files = globSync([
  'apps/*/src/**/*.test.ts',
  'packages/*/src/**/*.test.ts',
  'plugins/*/src/**/*.test.ts',
  'e2e/**/*.test.ts',
])
  .filter((file) => patterns.length === 0 || patterns.some((pattern) => file.includes(pattern)))
  .sort();
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=3', '--test-timeout=300000', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
