import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditEvents } from '@helixstack/db';
import { drivers } from '@helixstack/db/testing';
import { startTestApi, type TestApi } from './testing.ts';

for (const driver of drivers) {
  describe(`bad input on ${driver}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(driver);
      await api.call('POST', '/v1/projects', { body: { name: 'app' } });
    });
    after(() => api.close());

    const code = (response: { json(): { error: { code: string } } }) => response.json().error.code;

    test('names that are not DNS labels are refused with 400 naming the field', async () => {
      for (const name of [
        'UPPER',
        'with_underscore',
        '-leading',
        'trailing-',
        'a'.repeat(64),
        '',
        'dot.ted',
        'é',
      ]) {
        const project = await api.call('POST', '/v1/projects', { body: { name } });
        assert.equal(project.statusCode, 400, name);
        assert.equal(project.json().error.details.field, 'name', name);
        const environment = await api.call('POST', '/v1/projects/app/environments', { body: { name } });
        assert.equal(environment.statusCode, 400, name);
        const org = await api.call('POST', '/v1/orgs', { body: { name } });
        assert.equal(org.statusCode, 400, name);
      }
      assert.equal(
        code(await api.call('POST', '/v1/projects', { body: { name: 'Bad' } })),
        'HLX_INVALID_NAME',
      );
      assert.equal(
        (await api.call('POST', '/v1/projects', { body: { name: 'a'.repeat(63) } })).statusCode,
        201,
      );
    });

    test('env var keys follow [A-Za-z_][A-Za-z0-9_]* and values stop at 64 KiB', async () => {
      for (const key of ['1ABC', 'WITH-DASH', 'SPACE KEY', '', 'É']) {
        const response = await api.call('POST', '/v1/projects/app/env', {
          body: { key, value: 'x', environment: 'production' },
        });
        assert.equal(response.statusCode, 400, key);
        assert.equal(response.json().error.details.field, 'key', key);
      }
      const ok = await api.call('POST', '/v1/projects/app/env', {
        body: { key: '_Ok_1', value: 'é'.repeat(32 * 1024), environment: 'production' },
      });
      assert.equal(ok.statusCode, 201, 'exactly 64 KiB of UTF-8 is accepted');
      const tooLong = await api.call('POST', '/v1/projects/app/env', {
        body: { key: 'BIG', value: 'é'.repeat(32 * 1024 + 1), environment: 'production' },
      });
      assert.equal(tooLong.statusCode, 400);
      assert.equal(code(tooLong), 'HLX_VALUE_TOO_LARGE');
    });

    test('malformed JSON, unknown fields and wrong types are 400 with a code, never 500', async () => {
      const malformed = await api.app.inject({
        method: 'POST',
        url: '/v1/projects',
        headers: { authorization: `Bearer ${api.ownerToken}`, 'content-type': 'application/json' },
        payload: '{"name": "x",',
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(code(malformed), 'HLX_INVALID_JSON');
      const unknown = await api.call('POST', '/v1/projects', { body: { name: 'ok-name', color: 'red' } });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().error.details.field, 'color');
      for (const body of [{ name: 12 }, { name: null }, { name: ['a'] }, [], {}]) {
        const response = await api.call('POST', '/v1/projects', { body });
        assert.equal(response.statusCode, 400, JSON.stringify(body));
        assert.match(code(response), /^HLX_/);
      }
      const sensitiveAsString = await api.call('POST', '/v1/projects/app/env', {
        body: { key: 'K', value: 'v', environment: 'production', sensitive: 'yes' },
      });
      assert.equal(sensitiveAsString.statusCode, 400);
      const badLimit = await api.call('GET', '/v1/projects?limit=1000');
      assert.equal(badLimit.statusCode, 400);
      const unknownQuery = await api.call('GET', '/v1/projects?color=red');
      assert.equal(unknownQuery.statusCode, 400);
      const wrongMediaType = await api.app.inject({
        method: 'POST',
        url: '/v1/projects',
        headers: { authorization: `Bearer ${api.ownerToken}`, 'content-type': 'application/xml' },
        payload: '<name>x</name>',
      });
      assert.equal(wrongMediaType.statusCode, 415);
      assert.equal(code(wrongMediaType), 'HLX_UNSUPPORTED_MEDIA_TYPE');
    });

    test('a body over the limit is 413', async () => {
      const response = await api.call('POST', '/v1/projects/app/env', {
        body: { key: 'HUGE', value: 'x'.repeat(2 * 1024 * 1024), environment: 'production' },
      });
      assert.equal(response.statusCode, 413);
      assert.equal(code(response), 'HLX_PAYLOAD_TOO_LARGE');
    });

    test('no token, a wrong token and a revoked token are 401', async () => {
      assert.equal(code(await api.call('GET', '/v1/projects', { token: null })), 'HLX_UNAUTHENTICATED');
      const wrong = await api.call('GET', '/v1/projects', { token: 'hlx_wrong' });
      assert.equal(wrong.statusCode, 401);
      const created = await api.call('POST', '/v1/tokens', { body: { name: 'temp' } });
      const secret = created.json().secret as string;
      assert.equal((await api.call('GET', '/v1/projects', { token: secret })).statusCode, 200);
      await api.call('DELETE', `/v1/tokens/${created.json().token.id}`);
      const revoked = await api.call('GET', '/v1/projects', { token: secret });
      assert.equal(revoked.statusCode, 401);
      assert.equal(code(revoked), 'HLX_TOKEN_REVOKED');
      const malformedHeader = await api.app.inject({
        method: 'GET',
        url: '/v1/projects',
        headers: { authorization: 'Basic abc' },
      });
      assert.equal(malformedHeader.statusCode, 401);
    });

    test('a viewer writing is 403; a token cannot carry more than its creator', async () => {
      const viewer = await api.memberWithRole('viewer');
      const write = await api.call('POST', '/v1/projects', { token: viewer.token, body: { name: 'nope' } });
      assert.equal(write.statusCode, 403);
      assert.equal(code(write), 'HLX_FORBIDDEN');
      const escalate = await api.call('POST', '/v1/tokens', {
        token: viewer.token,
        body: { name: 'x', role: 'owner' },
      });
      assert.equal(escalate.statusCode, 403);
    });

    test('unknown routes answer the JSON error shape', async () => {
      const response = await api.call('GET', '/v1/nothing-here');
      assert.equal(response.statusCode, 404);
      assert.equal(code(response), 'HLX_ROUTE_NOT_FOUND');
    });

    test('a sensitive value appears in no response, log line or audit event', async () => {
      const secret = 'sk_live_do-not-leak-4242';
      const set = await api.call('POST', '/v1/projects/app/env', {
        body: { key: 'STRIPE_KEY', value: secret, environment: 'production', sensitive: true },
      });
      assert.equal(set.statusCode, 201);
      const responses = [
        set,
        await api.call('GET', '/v1/projects/app/env'),
        await api.call('GET', '/v1/projects/app/env?environment=production'),
        await api.call('POST', '/v1/projects/app/env', {
          body: { key: 'STRIPE_KEY', value: secret, environment: 'production', sensitive: true },
        }),
        await api.call('GET', '/v1/audit-events?limit=100'),
      ];
      for (const response of responses) assert.ok(!response.body.includes(secret), response.body);
      assert.ok(api.logs.length > 0, 'the API logged requests');
      assert.ok(!api.logs.join('\n').includes(secret));
      const events = await api.db.select().from(auditEvents);
      assert.ok(!JSON.stringify(events).includes(secret));
    });
  });
}
