import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Delivery, HelixError, type Route, requireCapability, validatePlugin } from '@helixstack/sdk';
import { recordingContext } from '../builder/recording-context.ts';
import { silentLogger } from '../runtime/test-context.ts';

/** One purge as the delivery network received it. */
export type PurgeRecord = { all: true } | { paths: string[] } | { tags: string[] };

/** What the delivery network holds now, read back from it (or from its emulator). */
export interface DeliveryState {
  /** Routes by hostname; hostnames the suite did not create may be there too. */
  routes: Record<string, Route>;
  /** Every purge received, oldest first. */
  purges: PurgeRecord[];
}

/**
 * The Delivery contract as steps: apply routes (create), read them back, apply the same
 * routes again (no change), apply a changed route (update), purge, purge tags when
 * declared, remove routes (destroy), remove again, check they are gone. The fake runs it
 * in-memory; the CDN plug-ins (Cloudflare, in a later milestone) run the same suite against
 * a local emulator of the provider's API, with `inspect` reading the emulator's state.
 */
export function deliveryConformance<D extends Delivery>(
  name: string,
  makeDelivery: () => D | Promise<D>,
  inspect: (delivery: D) => DeliveryState | Promise<DeliveryState>,
): void {
  describe(`${name} meets the Delivery contract`, () => {
    // Hostnames unique to this run, so a shared emulator's other routes never interfere.
    const suffix = randomUUID().slice(0, 8);
    const web = `web-${suffix}.conformance.example`;
    const docs = `docs-${suffix}.conformance.example`;
    const origin = 'http://127.0.0.1:8080';
    const first: Route[] = [
      { hostname: web, deploymentId: 'dpl-one', origin },
      { hostname: docs, deploymentId: 'dpl-one', origin },
    ];
    const ctx = recordingContext().ctx;
    let delivery: D;
    let purgesBefore = 0;

    /** The suite's own routes, as the network holds them. */
    const ours = async (): Promise<Record<string, Route>> => {
      const { routes } = await inspect(delivery);
      return Object.fromEntries(Object.entries(routes).filter(([host]) => host === web || host === docs));
    };
    /** Purges received since the last call. */
    const newPurges = async (): Promise<PurgeRecord[]> => {
      const { purges } = await inspect(delivery);
      const fresh = purges.slice(purgesBefore);
      purgesBefore = purges.length;
      return fresh;
    };

    before(async () => {
      delivery = await makeDelivery();
      await delivery.init?.({ logger: silentLogger, signal: new AbortController().signal });
      await newPurges();
    });
    after(async () => {
      await delivery?.removeRoutes(ctx, [web, docs]);
      await delivery?.close?.();
    });

    test('the plug-in passes the load-time checks', () => {
      validatePlugin(delivery);
      assert.equal(delivery.manifest.kind, 'delivery');
    });

    test('applyRoutes creates the routes', async () => {
      await delivery.applyRoutes(ctx, first);
      assert.deepEqual(await ours(), { [web]: first[0], [docs]: first[1] });
    });

    test('applying the same routes again changes nothing and purges nothing', async () => {
      const before = await ours();
      await delivery.applyRoutes(ctx, first);
      assert.deepEqual(await ours(), before);
      assert.deepEqual(await newPurges(), []);
    });

    test('applying a changed route updates it and leaves the others alone', async () => {
      const moved: Route = { hostname: web, deploymentId: 'dpl-two', origin: 'http://127.0.0.1:9090' };
      await delivery.applyRoutes(ctx, [moved]);
      assert.deepEqual(await ours(), { [web]: moved, [docs]: first[1] });
    });

    test('purge of everything and of paths reaches the network in order', async () => {
      await delivery.purge(ctx, { all: true });
      await delivery.purge(ctx, { paths: ['/index.html', '/assets/app.js'] });
      assert.deepEqual(await newPurges(), [{ all: true }, { paths: ['/index.html', '/assets/app.js'] }]);
    });

    test('purgeTags works when declared and is refused with HLX_CAPABILITY_UNDECLARED when not', async () => {
      if (!delivery.manifest.capabilities.includes('purge-tags')) {
        assert.equal(delivery.purgeTags, undefined);
        assert.throws(
          () => requireCapability(delivery, 'purge-tags'),
          (error) => error instanceof HelixError && error.code === 'HLX_CAPABILITY_UNDECLARED',
        );
        return;
      }
      requireCapability(delivery, 'purge-tags');
      await delivery.purgeTags!(ctx, ['deployment-dpl-one', 'project-web']);
      assert.deepEqual(await newPurges(), [{ tags: ['deployment-dpl-one', 'project-web'] }]);
    });

    test('removeRoutes removes only the hostnames it is given', async () => {
      await delivery.removeRoutes(ctx, [web]);
      assert.deepEqual(await ours(), { [docs]: first[1] });
      await delivery.removeRoutes(ctx, [docs]);
      assert.deepEqual(await ours(), {});
    });

    test('removing again, or a hostname never applied, is fine and leaves nothing', async () => {
      await delivery.removeRoutes(ctx, [web, docs, `never-${suffix}.conformance.example`]);
      assert.deepEqual(await ours(), {});
    });
  });
}
