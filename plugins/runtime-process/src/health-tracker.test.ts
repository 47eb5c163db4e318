import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthTracker } from './health-tracker.ts';

test('before the first success, the message says what the app answered or that it did not', () => {
  const health = new HealthTracker('/health', 4000);
  assert.equal(health.message, 'waiting for the app to answer GET /health on port 4000');
  assert.equal(health.apply({ error: 'ECONNREFUSED' }), undefined);
  assert.equal(health.listening, false);
  health.apply({ status: 500 });
  assert.equal(health.listening, true);
  assert.equal(health.healthy, false);
  assert.match(health.message ?? '', /answered GET \/health with 500 on port 4000/);
  assert.equal(health.apply({ status: 302 }), 'healthy');
  assert.equal(health.message, undefined);
});

test('a healthy app turns unhealthy only after three failures in a row', () => {
  const health = new HealthTracker('/up', 4000);
  health.apply({ status: 200 });
  assert.equal(health.apply({ status: 503 }), undefined);
  assert.equal(health.apply({ error: 'ETIMEDOUT' }), undefined);
  assert.equal(health.apply({ status: 200 }), undefined, 'a success in between starts over');
  health.apply({ status: 503 });
  health.apply({ status: 503 });
  assert.equal(health.apply({ status: 503 }), 'unhealthy');
  assert.equal(health.healthy, false);
  assert.equal(health.message, 'unhealthy: GET /up on port 4000 answered 503 3 times in a row');
  health.reset();
  assert.equal(health.listening, false);
  assert.equal(health.message, 'waiting for the app to answer GET /up on port 4000');
});
