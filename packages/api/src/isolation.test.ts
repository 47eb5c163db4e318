import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drivers } from '@helixstack/db/testing';
import { startTestApi, type TestApi } from './testing.ts';

for (const driver of drivers) {
  describe(`tenant isolation and identity on ${driver}`, () => {
    let api: TestApi;
    let other: string;
    const ids: Record<string, string> = {};
    before(async () => {
      api = await startTestApi(driver);
      const org = await api.call('POST', '/v1/orgs', { body: { name: 'acme' } });
      assert.equal(org.statusCode, 201);
      other = org.json().secret;
      ids.project = (await api.call('POST', '/v1/projects', { body: { name: 'mine' } })).json().id;
      ids.envVar = (
        await api.call('POST', '/v1/projects/mine/env', {
          body: { key: 'A', value: 'b', environment: 'production' },
        })
      ).json().id;
      const files = await api.upload({ 'index.html': '<h1>mine</h1>' });
      ids.deployment = (
        await api.call('POST', '/v1/projects/mine/deployments', {
          body: { source: { type: 'upload', files } },
        })
      ).json().id;
      ids.domain = (
        await api.call('POST', '/v1/projects/mine/domains', { body: { hostname: 'mine.example.com' } })
      ).json().id;
      ids.token = (await api.call('POST', '/v1/tokens', { body: { name: 'mine' } })).json().token.id;
      ids.user = (await api.call('GET', '/v1/whoami')).json().user.id;
      ids.developer = (await api.memberWithRole('developer')).userId;
    });
    after(() => api.close());

    test("another organization's objects answer 404 to every verb", async () => {
      const attempts: [string, string, unknown?][] = [
        ['GET', '/v1/projects/mine'],
        ['GET', `/v1/projects/${ids.project}`],
        ['DELETE', '/v1/projects/mine'],
        ['GET', '/v1/projects/mine/environments'],
        ['POST', '/v1/projects/mine/environments', { name: 'x' }],
        ['GET', '/v1/projects/mine/env'],
        ['POST', '/v1/projects/mine/env', { key: 'A', value: 'stolen', environment: 'production' }],
        ['DELETE', `/v1/projects/mine/env/${ids.envVar}`],
        ['GET', '/v1/projects/mine/deployments'],
        [
          'POST',
          '/v1/projects/mine/deployments',
          { source: { type: 'git', url: 'https://example.com/a.git', ref: 'main' } },
        ],
        ['GET', `/v1/deployments/${ids.deployment}/logs`],
        ['POST', '/v1/projects/mine/promote', { deployment: ids.deployment }],
        ['POST', '/v1/projects/mine/rollback', {}],
        ['GET', `/v1/deployments/${ids.deployment}`],
        ['POST', `/v1/deployments/${ids.deployment}/cancel`],
        ['GET', '/v1/projects/mine/domains'],
        ['DELETE', `/v1/projects/mine/domains/${ids.domain}`],
        ['DELETE', `/v1/tokens/${ids.token}`],
        ['PATCH', `/v1/members/${ids.developer}`, { role: 'viewer' }],
        ['DELETE', `/v1/members/${ids.developer}`],
      ];
      for (const [method, url, body] of attempts) {
        const response = await api.call(method, url, { token: other, body });
        assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
        assert.equal(response.json().error.code, 'HLX_NOT_FOUND');
      }
      assert.equal((await api.call('GET', '/v1/projects/mine')).statusCode, 200, 'the owner still sees it');
      assert.equal((await api.call('GET', `/v1/deployments/${ids.deployment}`)).json().state, 'QUEUED');
    });

    test("lists show only the caller's organization", async () => {
      assert.deepEqual((await api.call('GET', '/v1/projects', { token: other })).json().items, []);
      assert.deepEqual((await api.call('GET', '/v1/audit-events', { token: other })).json().items, []);
      assert.deepEqual((await api.call('GET', '/v1/tokens', { token: other })).json().items.length, 1);
      const orgs = (await api.call('GET', '/v1/orgs')).json().items.map((org: { name: string }) => org.name);
      assert.deepEqual(orgs.sort(), ['acme', 'default']);
    });

    test('whoami names the user, organization and token role', async () => {
      const me = (await api.call('GET', '/v1/whoami', { token: other })).json();
      assert.equal(me.org.name, 'acme');
      assert.equal(me.token.role, 'owner');
    });

    test('a removed member loses access at once, and the last owner cannot leave', async () => {
      const developer = await api.memberWithRole('developer');
      assert.equal((await api.call('GET', '/v1/projects', { token: developer.token })).statusCode, 200);
      assert.equal((await api.call('DELETE', `/v1/members/${developer.userId}`)).statusCode, 204);
      assert.equal((await api.call('GET', '/v1/projects', { token: developer.token })).statusCode, 401);
      const lastOwner = await api.call('DELETE', `/v1/members/${ids.user}`);
      assert.equal(lastOwner.statusCode, 409);
      assert.equal(lastOwner.json().error.code, 'HLX_LAST_OWNER');
    });

    test("a demoted member's tokens are capped at the new role", async () => {
      const admin = await api.memberWithRole('admin');
      assert.equal((await api.call('GET', '/v1/audit-events', { token: admin.token })).statusCode, 200);
      await api.call('PATCH', `/v1/members/${admin.userId}`, { body: { role: 'viewer' } });
      assert.equal((await api.call('GET', '/v1/audit-events', { token: admin.token })).statusCode, 403);
    });

    test('audit events record actor, action, target, time and source address', async () => {
      const events = (await api.call('GET', '/v1/audit-events?action=project.create')).json().items;
      assert.equal(events.length, 1);
      const [event] = events;
      assert.equal(event.target.id, ids.project);
      assert.equal(event.actor.userId, ids.user);
      assert.ok(event.actor.tokenId);
      assert.equal(event.sourceIp, '127.0.0.1');
      assert.ok(Date.now() - Date.parse(event.createdAt) < 60_000);
    });
  });
}
