import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingContext } from '../builder/recording-context.ts';
import { deliveryConformance } from './conformance.ts';
import { fakeDelivery } from './fake-delivery.ts';

deliveryConformance(
  'fakeDelivery',
  () => fakeDelivery(),
  (delivery) => delivery.state(),
);

deliveryConformance(
  'fakeDelivery without purge-tags',
  () => fakeDelivery({ purgeTags: false }),
  (delivery) => delivery.state(),
);

test('the fake state is a copy: editing it changes nothing in the fake', async () => {
  const delivery = fakeDelivery();
  const route = { hostname: 'a.example', deploymentId: 'dpl-a', origin: 'http://127.0.0.1:1' };
  await delivery.applyRoutes(recordingContext().ctx, [route]);
  const state = delivery.state();
  state.routes['a.example']!.deploymentId = 'edited';
  state.purges.push({ all: true });
  assert.deepEqual(delivery.state(), { routes: { 'a.example': route }, purges: [] });
});

test('the fake stops when the signal is aborted', async () => {
  const recording = recordingContext();
  recording.controller.abort();
  await assert.rejects(fakeDelivery().purge(recording.ctx, { all: true }), { name: 'AbortError' });
});
