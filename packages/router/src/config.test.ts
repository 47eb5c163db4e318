import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HelixError } from '@helixstack/sdk';
import { routerConfigFromEnv } from './config.ts';

test('router config defaults to localhost:8080 and reads HELIX_BASE_DOMAIN and HELIX_ROUTER_PORT', () => {
  assert.deepEqual(routerConfigFromEnv({}), { baseDomain: 'localhost', port: 8080 });
  assert.deepEqual(routerConfigFromEnv({ HELIX_BASE_DOMAIN: 'Apps.Example.com.', HELIX_ROUTER_PORT: '80' }), {
    baseDomain: 'apps.example.com',
    port: 80,
  });
});

test('bad router settings fail with HLX_CONFIG naming the variable', () => {
  for (const env of [
    { HELIX_BASE_DOMAIN: 'not a domain' },
    { HELIX_BASE_DOMAIN: 'bad..dots' },
    { HELIX_ROUTER_PORT: '80a' },
    { HELIX_ROUTER_PORT: '70000' },
  ]) {
    assert.throws(
      () => routerConfigFromEnv(env),
      (error: unknown) =>
        error instanceof HelixError &&
        error.code === 'HLX_CONFIG' &&
        error.message.includes(Object.keys(env)[0]!),
    );
  }
});
