import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HelixError, requireCapability, type Scope, type Secrets, validatePlugin } from '@helixstack/sdk';
import { silentLogger } from '../runtime/test-context.ts';
import { watchedContext } from './watched-context.ts';

function assertUndeclared(secrets: Secrets, capability: string): void {
  assert.throws(
    () => requireCapability(secrets, capability),
    (error) => error instanceof HelixError && error.code === 'HLX_CAPABILITY_UNDECLARED',
  );
}

/**
 * The Secrets contract as steps: put (create), get, put again (update), scopes apart,
 * list and versions when declared, delete (destroy), delete again, check gone. Scopes use
 * an org unique to the run, so a shared backend (a Vault dev server) keeps other data
 * apart; everything the suite wrote is deleted after it. No value may reach the logger,
 * the output or the progress of the context.
 */
export function secretsConformance(name: string, makeSecrets: () => Secrets | Promise<Secrets>): void {
  describe(`${name} meets the Secrets contract`, () => {
    const org = `conformance-${randomUUID().slice(0, 8)}`;
    const production: Scope = { org, project: 'web', environment: 'production' };
    const preview: Scope = { org, project: 'web', environment: 'preview' };
    const otherProject: Scope = { org, project: 'api', environment: 'production' };
    /** The unique part of every value, found even where a log escapes the rest. */
    const markers: string[] = [];
    /** A value no other run has, with a newline, "=", quotes and non-ASCII letters to round-trip. */
    const secret = (label: string): string => {
      const marker = randomUUID();
      markers.push(marker);
      return `${label} ${marker}\nline two = ünïcode "quoted"`;
    };
    const values = { DATABASE_URL: secret('database'), API_TOKEN: secret('token') };
    const watched = watchedContext();
    const ctx = watched.ctx;
    let secrets: Secrets;

    before(async () => {
      secrets = await makeSecrets();
      await secrets.init?.({ logger: silentLogger, signal: new AbortController().signal });
    });
    after(async () => {
      for (const scope of [production, preview, otherProject]) {
        await secrets?.delete(ctx, scope, ['DATABASE_URL', 'API_TOKEN', 'SHARED']);
      }
      await secrets?.close?.();
    });

    test('the plug-in passes the load-time checks', () => {
      validatePlugin(secrets);
      assert.equal(secrets.manifest.kind, 'secrets');
    });

    test('put then get returns the values, only of the names asked for', async () => {
      await secrets.put(ctx, production, values);
      assert.deepEqual(await secrets.get(ctx, production, ['DATABASE_URL', 'API_TOKEN']), values);
      assert.deepEqual(await secrets.get(ctx, production, ['API_TOKEN']), { API_TOKEN: values.API_TOKEN });
    });

    test('get leaves missing names out instead of failing', async () => {
      const got = await secrets.get(ctx, production, ['DATABASE_URL', 'NEVER_SET']);
      assert.deepEqual(got, { DATABASE_URL: values.DATABASE_URL });
      assert.equal(Object.hasOwn(got, 'NEVER_SET'), false);
      assert.deepEqual(await secrets.get(ctx, preview, ['DATABASE_URL']), {});
    });

    test('put replaces a value and leaves the other names alone', async () => {
      values.DATABASE_URL = secret('database, rotated');
      await secrets.put(ctx, production, { DATABASE_URL: values.DATABASE_URL });
      assert.deepEqual(await secrets.get(ctx, production, ['DATABASE_URL', 'API_TOKEN']), values);
    });

    test('the same name in another environment or project is another secret', async () => {
      const shared = { production: secret('prod'), preview: secret('preview'), api: secret('api') };
      await secrets.put(ctx, production, { SHARED: shared.production });
      await secrets.put(ctx, preview, { SHARED: shared.preview });
      await secrets.put(ctx, otherProject, { SHARED: shared.api });
      assert.deepEqual(await secrets.get(ctx, production, ['SHARED']), { SHARED: shared.production });
      assert.deepEqual(await secrets.get(ctx, preview, ['SHARED']), { SHARED: shared.preview });
      assert.deepEqual(await secrets.get(ctx, otherProject, ['SHARED']), { SHARED: shared.api });
      await secrets.delete(ctx, preview, ['SHARED']);
      assert.deepEqual(await secrets.get(ctx, preview, ['SHARED']), {});
      assert.deepEqual(await secrets.get(ctx, production, ['SHARED']), { SHARED: shared.production });
    });

    test('list, when declared, returns the names of a scope and never a value', async () => {
      if (!secrets.manifest.capabilities.includes('list')) {
        assert.equal(secrets.list, undefined);
        assertUndeclared(secrets, 'list');
        return;
      }
      requireCapability(secrets, 'list');
      const names = await secrets.list!(ctx, production);
      assert.deepEqual([...names].sort(), ['API_TOKEN', 'DATABASE_URL', 'SHARED']);
      assert.deepEqual(await secrets.list!(ctx, preview), []);
      const listed = JSON.stringify(names);
      for (const marker of markers) assert.ok(!listed.includes(marker), 'no value in the list');
    });

    test('versions, when declared, lists earlier versions newest first', async () => {
      if (!secrets.manifest.capabilities.includes('versions')) {
        assert.equal(secrets.versions, undefined);
        assertUndeclared(secrets, 'versions');
        return;
      }
      requireCapability(secrets, 'versions');
      const before = await secrets.versions!(ctx, production, 'DATABASE_URL');
      assert.ok(before.length >= 2, 'put twice: two versions');
      values.DATABASE_URL = secret('database, rotated again');
      await secrets.put(ctx, production, { DATABASE_URL: values.DATABASE_URL });
      const after = await secrets.versions!(ctx, production, 'DATABASE_URL');
      assert.equal(after.length, before.length + 1);
      assert.ok(!before.some((entry) => entry.version === after[0]!.version), 'the newest is new');
      assert.deepEqual(after.slice(1), before);
      const times = after.map((entry) => Date.parse(entry.createdAt));
      for (const time of times) assert.ok(!Number.isNaN(time), 'createdAt is a date');
      for (let index = 1; index < times.length; index += 1) assert.ok(times[index - 1]! >= times[index]!);
      assert.equal(new Set(after.map((entry) => entry.version)).size, after.length, 'versions are distinct');
      const listed = JSON.stringify(after);
      for (const marker of markers) assert.ok(!listed.includes(marker), 'no value in the versions');
    });

    test('delete removes the names; deleting again or a missing name is fine', async () => {
      await secrets.delete(ctx, production, ['DATABASE_URL']);
      assert.deepEqual(await secrets.get(ctx, production, ['DATABASE_URL', 'API_TOKEN']), {
        API_TOKEN: values.API_TOKEN,
      });
      await secrets.delete(ctx, production, ['DATABASE_URL', 'NEVER_SET']);
      await secrets.delete(ctx, production, ['API_TOKEN', 'SHARED']);
      assert.deepEqual(await secrets.get(ctx, production, ['DATABASE_URL', 'API_TOKEN', 'SHARED']), {});
      if (secrets.list) assert.deepEqual(await secrets.list(ctx, production), []);
    });

    test('no value reached the logger, the output or the progress', () => {
      const seen = watched.seen();
      assert.ok(markers.length >= 6, 'the values of every step are checked');
      for (const marker of markers) assert.ok(!seen.includes(marker), 'a value was reported');
    });
  });
}
