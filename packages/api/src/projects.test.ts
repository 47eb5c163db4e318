import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drivers } from '@helixstack/db/testing';
import { startTestApi, type TestApi } from './testing.ts';

for (const driver of drivers) {
  describe(`projects, environments, env vars, deployments, domains on ${driver}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(driver);
    });
    after(() => api.close());

    test('health answers without a token and names the driver', async () => {
      const response = await api.call('GET', '/v1/health', { token: null });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().driver, driver);
    });

    test('a project is created with its three environments and found by id or name', async () => {
      const created = await api.call('POST', '/v1/projects', { body: { name: 'shop' } });
      assert.equal(created.statusCode, 201, created.body);
      const byName = await api.call('GET', '/v1/projects/shop');
      assert.equal(byName.json().id, created.json().id);
      const environments = await api.call('GET', `/v1/projects/${created.json().id}/environments`);
      assert.deepEqual(
        environments
          .json()
          .items.map((environment: { name: string }) => environment.name)
          .sort(),
        ['development', 'preview', 'production'],
      );
      const duplicate = await api.call('POST', '/v1/projects', { body: { name: 'shop' } });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(duplicate.json().error.code, 'HLX_CONFLICT');
    });

    test('custom environments can be added and removed; standard ones cannot be removed', async () => {
      assert.equal(
        (await api.call('POST', '/v1/projects/shop/environments', { body: { name: 'staging' } })).statusCode,
        201,
      );
      assert.equal((await api.call('DELETE', '/v1/projects/shop/environments/staging')).statusCode, 204);
      const standard = await api.call('DELETE', '/v1/projects/shop/environments/production');
      assert.equal(standard.statusCode, 409);
      assert.equal(standard.json().error.code, 'HLX_INVALID_STATE');
    });

    test('env vars are scoped per environment, replaced in place, and sensitive ones are write-only', async () => {
      const plain = await api.call('POST', '/v1/projects/shop/env', {
        body: { key: 'API_URL', value: 'https://a', environment: 'production' },
      });
      assert.equal(plain.statusCode, 201);
      assert.equal(plain.json().value, 'https://a');
      const replaced = await api.call('POST', '/v1/projects/shop/env', {
        body: { key: 'API_URL', value: 'https://b', environment: 'production' },
      });
      assert.equal(replaced.statusCode, 200);
      assert.equal(replaced.json().id, plain.json().id);
      const secret = await api.call('POST', '/v1/projects/shop/env', {
        body: { key: 'DB_PASSWORD', value: 'hunter2-secret', environment: 'production', sensitive: true },
      });
      assert.equal(secret.statusCode, 201);
      assert.equal('value' in secret.json(), false);
      await api.call('POST', '/v1/projects/shop/env', {
        body: { key: 'API_URL', value: 'http://dev', environment: 'development' },
      });

      const production = await api.call('GET', '/v1/projects/shop/env?environment=production');
      const byKey = Object.fromEntries(
        production.json().items.map((item: { key: string; value?: string }) => [item.key, item.value]),
      );
      assert.deepEqual(byKey, { API_URL: 'https://b', DB_PASSWORD: undefined });
      const all = await api.call('GET', '/v1/projects/shop/env');
      assert.equal(all.json().items.length, 3);
      assert.ok(!all.body.includes('hunter2-secret'));

      const removed = await api.call('DELETE', `/v1/projects/shop/env/${secret.json().id}`);
      assert.equal(removed.statusCode, 204);
      assert.equal((await api.call('DELETE', `/v1/projects/shop/env/${secret.json().id}`)).statusCode, 404);
    });

    test('deployments are recorded QUEUED, listed newest first, and cancel once', async () => {
      const source = { type: 'upload', files: await api.upload({ 'index.html': '<h1>shop</h1>' }) };
      const first = await api.call('POST', '/v1/projects/shop/deployments', { body: { source } });
      assert.equal(first.statusCode, 201);
      assert.equal(first.json().state, 'QUEUED');
      assert.equal(first.json().environment, 'preview');
      const second = await api.call('POST', '/v1/projects/shop/deployments', {
        body: { environment: 'production', source, branch: 'feature/Login', env: { EXTRA: '1' } },
      });
      assert.equal(second.statusCode, 201, second.body);
      assert.match(second.json().url, /^http:\/\/shop-[0-9a-z]{9}\.localhost:8080$/);
      assert.equal(second.json().urls.branch, 'http://shop-git-feature-login.localhost:8080');
      assert.deepEqual(api.platform.builds, [first.json().id, second.json().id]);
      const withoutSource = await api.call('POST', '/v1/projects/shop/deployments', { body: {} });
      assert.equal(withoutSource.statusCode, 400);
      const missingBlob = await api.call('POST', '/v1/projects/shop/deployments', {
        body: {
          source: { type: 'upload', files: [{ path: 'a.txt', size: 1, mode: 420, sha256: 'a'.repeat(64) }] },
        },
      });
      assert.equal(missingBlob.json().error.code, 'HLX_SOURCE_INCOMPLETE');
      const badOverride = await api.call('POST', '/v1/projects/shop/deployments', {
        body: { source, env: { 'BAD-KEY': 'x' } },
      });
      assert.equal(badOverride.json().error.code, 'HLX_INVALID_ENV_KEY');
      const list = await api.call('GET', '/v1/projects/shop/deployments');
      assert.deepEqual(
        list.json().items.map((item: { id: string }) => item.id),
        [second.json().id, first.json().id],
      );
      const canceled = await api.call('POST', `/v1/deployments/${first.json().id}/cancel`);
      assert.equal(canceled.json().state, 'CANCELED');
      assert.deepEqual(api.platform.canceled, [first.json().id]);
      const again = await api.call('POST', `/v1/deployments/${first.json().id}/cancel`);
      assert.equal(again.statusCode, 409);
      assert.equal((await api.call('GET', `/v1/deployments/${second.json().id}`)).json().state, 'QUEUED');
    });

    test('domains attach to an environment and are unique', async () => {
      const domain = await api.call('POST', '/v1/projects/shop/domains', {
        body: { hostname: 'shop.example.com' },
      });
      assert.equal(domain.statusCode, 201);
      assert.equal(domain.json().environment, 'production');
      const taken = await api.call('POST', '/v1/projects/shop/domains', {
        body: { hostname: 'shop.example.com' },
      });
      assert.equal(taken.statusCode, 409);
      assert.equal(
        (await api.call('DELETE', `/v1/projects/shop/domains/${domain.json().id}`)).statusCode,
        204,
      );
    });

    test('lists are cursor-paginated without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++) await api.call('POST', '/v1/projects', { body: { name: `page-${i}` } });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page = await api.call('GET', `/v1/projects?limit=2${query}`);
        assert.equal(page.statusCode, 200);
        assert.ok(page.json().items.length <= 2);
        seen.push(...page.json().items.map((item: { name: string }) => item.name));
        cursor = page.json().nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['shop', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
      const bad = await api.call('GET', '/v1/projects?cursor=not-a-cursor');
      assert.equal(bad.json().error.code, 'HLX_INVALID_CURSOR');
    });

    test('a project delete removes it and is audited', async () => {
      assert.equal((await api.call('DELETE', '/v1/projects/page-4')).statusCode, 204);
      assert.equal((await api.call('GET', '/v1/projects/page-4')).statusCode, 404);
      const events = await api.call('GET', '/v1/audit-events?action=project.delete');
      assert.equal(events.json().items.length, 1);
      assert.equal(events.json().items[0].metadata.name, 'page-4');
    });
  });
}
