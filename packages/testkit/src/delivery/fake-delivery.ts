import type { Delivery, DeliveryCapability, Route } from '@helixstack/sdk';
import type { DeliveryState, PurgeRecord } from './conformance.ts';

export interface FakeDeliveryOptions {
  /** Declare and implement `purge-tags` (default true). */
  purgeTags?: boolean;
}

/** An in-memory delivery network; `state()` reads it back, as the conformance suite does. */
export interface FakeDelivery extends Delivery {
  state(): DeliveryState;
}

/** A Delivery for tests: routes in a map, purges in a log, nothing sent anywhere. */
export function fakeDelivery(options: FakeDeliveryOptions = {}): FakeDelivery {
  const routes = new Map<string, Route>();
  const purges: PurgeRecord[] = [];
  const withTags = options.purgeTags ?? true;
  const capabilities: DeliveryCapability[] = withTags ? ['purge-tags'] : [];
  const delivery: FakeDelivery = {
    manifest: {
      id: 'delivery-fake',
      kind: 'delivery',
      contractVersion: '1',
      description: 'In-memory delivery network for tests',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities,
    },
    async applyRoutes(ctx, changed) {
      ctx.signal.throwIfAborted();
      for (const route of changed) routes.set(route.hostname, { ...route });
    },
    async removeRoutes(ctx, hostnames) {
      ctx.signal.throwIfAborted();
      for (const hostname of hostnames) routes.delete(hostname);
    },
    async purge(ctx, target) {
      ctx.signal.throwIfAborted();
      purges.push('all' in target ? { all: true } : { paths: [...target.paths] });
    },
    state() {
      return structuredClone({ routes: Object.fromEntries(routes), purges });
    },
  };
  if (withTags) {
    // Only when declared: the host's load-time check refuses an undeclared member.
    delivery.purgeTags = async (ctx, tags) => {
      ctx.signal.throwIfAborted();
      purges.push({ tags: [...tags] });
    };
  }
  return delivery;
}
