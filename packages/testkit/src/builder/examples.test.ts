import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { exampleAppDir, exampleAppNames, exampleAppProbes } from './examples.ts';

test('every example has a README and at least one probe of its root path', async () => {
  for (const name of exampleAppNames) {
    await access(join(exampleAppDir(name), 'README.md'));
    const probes = await exampleAppProbes(name);
    assert.ok(
      probes.some((probe) => probe.path === '/' && probe.contains.length > 0),
      `${name} probes "/"`,
    );
  }
});
