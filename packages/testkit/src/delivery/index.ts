export { type DeliveryState, deliveryConformance, type PurgeRecord } from './conformance.ts';
export { type FakeDelivery, type FakeDeliveryOptions, fakeDelivery } from './fake-delivery.ts';
