import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, deploymentStates, isFinal } from './deployment-states.ts';

test('the happy path moves forward only', () => {
  assert.ok(canTransition('QUEUED', 'BUILDING'));
  assert.ok(canTransition('BUILDING', 'DEPLOYING'));
  assert.ok(canTransition('DEPLOYING', 'READY'));
  assert.ok(!canTransition('READY', 'BUILDING'));
  assert.ok(!canTransition('DEPLOYING', 'QUEUED'));
});

test('READY, ERROR and CANCELED are final; every active state can be canceled', () => {
  for (const state of deploymentStates) {
    const final = ['READY', 'ERROR', 'CANCELED'].includes(state);
    assert.equal(isFinal(state), final, state);
    assert.equal(canTransition(state, 'CANCELED'), !final, state);
  }
});
