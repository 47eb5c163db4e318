import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PluginRegistry, requireCapability, validatePlugin } from './registry.ts';
import type { Runtime } from './runtime.ts';

function runtime(overrides: Partial<Runtime> & { capabilities?: string[] } = {}): Runtime {
  const { capabilities = [], ...members } = overrides;
  return {
    manifest: {
      id: 'runtime-test',
      kind: 'runtime',
      contractVersion: '1',
      description: 'test',
      configSchema: {},
      capabilities: capabilities as Runtime['manifest']['capabilities'],
    },
    accepts: ['process-bundle'],
    deploy: async () => ({ runtime: 'runtime-test', deploymentId: 'd', data: {} }),
    status: async () => ({ state: 'running', healthy: true, endpoints: [], restarts: 0 }),
    logs: async function* () {},
    destroy: async () => {},
    ...members,
  };
}

const code = (expected: string) => (error: Error & { code?: string }) => error.code === expected;

test('a plug-in that matches its contract registers and is found by kind and id', () => {
  const registry = new PluginRegistry().register(runtime());
  assert.equal(registry.get('runtime', 'runtime-test').manifest.id, 'runtime-test');
  assert.throws(() => registry.get('builder', 'runtime-test'), code('HLX_PLUGIN_NOT_FOUND'));
  assert.throws(() => registry.get('runtime', 'nope'), code('HLX_PLUGIN_NOT_FOUND'));
  assert.throws(() => registry.register(runtime()), code('HLX_PLUGIN_DUPLICATE'));
});

test('a declared capability must be implemented, and an implemented one declared', () => {
  assert.throws(
    () => validatePlugin(runtime({ capabilities: ['stop'] })),
    /declares "stop" but does not implement stop\(\)/,
  );
  assert.throws(
    () => validatePlugin(runtime({ stop: async () => {} })),
    /implements stop\(\) but does not declare/,
  );
  assert.throws(
    () => validatePlugin(runtime({ capabilities: ['teleport'] })),
    /unknown capability "teleport"/,
  );
  validatePlugin(runtime({ capabilities: ['stop'], stop: async () => {} }));
});

test('missing required members, a wrong contract version or a bad id are refused', () => {
  const noLogs = runtime();
  delete (noLogs as Partial<Runtime>).logs;
  assert.throws(() => validatePlugin(noLogs), /required member "logs"/);
  const old = runtime();
  (old.manifest as { contractVersion: string }).contractVersion = '0';
  assert.throws(() => validatePlugin(old), code('HLX_PLUGIN_INVALID'));
  const badId = runtime();
  (badId.manifest as { id: string }).id = 'Bad Id';
  assert.throws(() => validatePlugin(badId), code('HLX_PLUGIN_INVALID'));
});

test('calling an undeclared capability fails with HLX_CAPABILITY_UNDECLARED', () => {
  assert.throws(() => requireCapability(runtime(), 'scale'), code('HLX_CAPABILITY_UNDECLARED'));
  requireCapability(runtime({ capabilities: ['stop'], stop: async () => {} }), 'stop');
});
