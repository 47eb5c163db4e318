import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { auditEvents, deployments, type Role, roles } from '@helixstack/db';
import { drivers } from '@helixstack/db/testing';
import { tarOf } from '@helixstack/source/testing';
import { eq } from 'drizzle-orm';
import { startTestApi, type TestApi } from './testing.ts';

type Caller = Role | 'anonymous';
type Request = { url: string; body?: unknown; payload?: Buffer; contentType?: string };
/** Mutating routes that change no state and so write no audit event. */
const readsByPost = new Set(['POST /v1/sources/check']);
interface Row {
  /** Method and OpenAPI path, exactly as /v1/openapi.json lists it. */
  route: string;
  /** Makes what the call needs with the owner token; `self` is the calling member. */
  setup?: (api: TestApi, self: Member) => Promise<Request>;
  /** The status each caller gets. */
  expect: Record<Caller, number>;
}
interface Member {
  userId: string;
  tokenId: string;
  token: string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;
const anyone = (status: number) => ({
  anonymous: 401,
  viewer: status,
  developer: status,
  admin: status,
  owner: status,
});
const atLeast = (role: Role, status: number): Record<Caller, number> => {
  const rank = roles.indexOf(role);
  return {
    anonymous: 401,
    ...(Object.fromEntries(roles.map((r) => [r, roles.indexOf(r) >= rank ? status : 403])) as Record<
      Role,
      number
    >),
  };
};
async function deployment(api: TestApi, name?: string): Promise<string> {
  const files = await api.upload({ 'index.html': 'ok' });
  const created = await api.call('POST', `/v1/projects/${name ?? (await project(api))}/deployments`, {
    body: { source: { type: 'upload', files } },
  });
  return created.json().id;
}
async function project(api: TestApi): Promise<string> {
  const name = unique('p');
  await api.call('POST', '/v1/projects', { body: { name } });
  return name;
}

/** One row per route; a route without a row fails the first test. */
const matrix: Row[] = [
  {
    route: 'GET /v1/health',
    expect: { anonymous: 200, viewer: 200, developer: 200, admin: 200, owner: 200 },
  },
  { route: 'GET /v1/whoami', expect: anyone(200) },
  { route: 'GET /v1/orgs', expect: anyone(200) },
  {
    route: 'POST /v1/orgs',
    setup: async () => ({ url: '/v1/orgs', body: { name: unique('org') } }),
    expect: anyone(201),
  },
  { route: 'GET /v1/org', expect: anyone(200) },
  {
    route: 'PATCH /v1/org',
    setup: async () => ({ url: '/v1/org', body: { name: 'default' } }),
    expect: atLeast('owner', 200),
  },
  { route: 'GET /v1/members', expect: anyone(200) },
  {
    route: 'POST /v1/members',
    setup: async () => ({ url: '/v1/members', body: { email: `${unique('m')}@test.local`, role: 'viewer' } }),
    expect: atLeast('admin', 201),
  },
  {
    route: 'PATCH /v1/members/{userId}',
    setup: async (api) => ({
      url: `/v1/members/${(await api.memberWithRole('developer')).userId}`,
      body: { role: 'viewer' },
    }),
    expect: atLeast('admin', 200),
  },
  {
    route: 'DELETE /v1/members/{userId}',
    setup: async (api) => ({ url: `/v1/members/${(await api.memberWithRole('developer')).userId}` }),
    expect: atLeast('admin', 204),
  },
  { route: 'GET /v1/tokens', expect: anyone(200) },
  {
    route: 'POST /v1/tokens',
    setup: async () => ({ url: '/v1/tokens', body: { name: 'ci', role: 'viewer' } }),
    expect: anyone(201),
  },
  {
    route: 'DELETE /v1/tokens/{tokenId}',
    setup: async (api, self) => {
      const created = await api.call('POST', '/v1/tokens', {
        token: self.token,
        body: { name: 'spare', role: 'viewer' },
      });
      return { url: `/v1/tokens/${created.json().token.id}` };
    },
    expect: anyone(204),
  },
  { route: 'GET /v1/projects', expect: anyone(200) },
  {
    route: 'POST /v1/projects',
    setup: async () => ({ url: '/v1/projects', body: { name: unique('new') } }),
    expect: atLeast('developer', 201),
  },
  {
    route: 'GET /v1/projects/{project}',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}` }),
    expect: anyone(200),
  },
  {
    route: 'DELETE /v1/projects/{project}',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}` }),
    expect: atLeast('admin', 204),
  },
  {
    route: 'GET /v1/projects/{project}/environments',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}/environments` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/projects/{project}/environments',
    setup: async (api) => ({
      url: `/v1/projects/${await project(api)}/environments`,
      body: { name: 'staging' },
    }),
    expect: atLeast('developer', 201),
  },
  {
    route: 'DELETE /v1/projects/{project}/environments/{environment}',
    setup: async (api) => {
      const name = await project(api);
      await api.call('POST', `/v1/projects/${name}/environments`, { body: { name: 'staging' } });
      return { url: `/v1/projects/${name}/environments/staging` };
    },
    expect: atLeast('developer', 204),
  },
  {
    route: 'GET /v1/projects/{project}/env',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}/env` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/projects/{project}/env',
    setup: async (api) => ({
      url: `/v1/projects/${await project(api)}/env`,
      body: { key: 'A', value: 'b', environment: 'production' },
    }),
    expect: atLeast('developer', 201),
  },
  {
    route: 'DELETE /v1/projects/{project}/env/{envVarId}',
    setup: async (api) => {
      const name = await project(api);
      const created = await api.call('POST', `/v1/projects/${name}/env`, {
        body: { key: 'A', value: 'b', environment: 'production' },
      });
      return { url: `/v1/projects/${name}/env/${created.json().id}` };
    },
    expect: atLeast('developer', 204),
  },
  {
    route: 'GET /v1/projects/{project}/deployments',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}/deployments` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/projects/{project}/deployments',
    setup: async (api) => ({
      url: `/v1/projects/${await project(api)}/deployments`,
      body: { source: { type: 'git', url: 'https://example.com/app.git', ref: 'main' } },
    }),
    expect: atLeast('developer', 201),
  },
  {
    route: 'GET /v1/deployments/{deployment}',
    setup: async (api) => ({ url: `/v1/deployments/${await deployment(api)}` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/deployments/{deployment}/cancel',
    setup: async (api) => ({ url: `/v1/deployments/${await deployment(api)}/cancel` }),
    expect: atLeast('developer', 200),
  },
  {
    route: 'GET /v1/deployments/{deployment}/logs',
    setup: async (api) => ({ url: `/v1/deployments/${await deployment(api)}/logs` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/projects/{project}/promote',
    setup: async (api) => {
      const name = await project(api);
      const id = await deployment(api, name);
      await api.db.update(deployments).set({ state: 'READY' }).where(eq(deployments.id, id));
      return { url: `/v1/projects/${name}/promote`, body: { deployment: id } };
    },
    expect: atLeast('developer', 200),
  },
  {
    route: 'POST /v1/projects/{project}/rollback',
    setup: async (api) => {
      const name = await project(api);
      for (let i = 0; i < 2; i++) {
        const id = await deployment(api, name);
        await api.db.update(deployments).set({ state: 'READY' }).where(eq(deployments.id, id));
        await api.call('POST', `/v1/projects/${name}/promote`, { body: { deployment: id } });
      }
      return { url: `/v1/projects/${name}/rollback`, body: {} };
    },
    expect: atLeast('developer', 200),
  },
  {
    route: 'PUT /v1/blobs/{digest}',
    setup: async () => {
      const content = Buffer.from(unique('blob'));
      const digest = createHash('sha256').update(content).digest('hex');
      return { url: `/v1/blobs/${digest}`, payload: content, contentType: 'application/octet-stream' };
    },
    expect: atLeast('developer', 201),
  },
  {
    route: 'POST /v1/sources/check',
    setup: async (api) => ({ url: '/v1/sources/check', body: { files: await api.upload({ 'a.txt': 'a' }) } }),
    expect: atLeast('developer', 200),
  },
  {
    route: 'POST /v1/sources/archive',
    setup: async () => ({
      url: '/v1/sources/archive',
      payload: await tarOf([{ name: 'index.html', content: unique('page') }]),
      contentType: 'application/x-tar',
    }),
    expect: atLeast('developer', 200),
  },
  {
    route: 'GET /v1/projects/{project}/domains',
    setup: async (api) => ({ url: `/v1/projects/${await project(api)}/domains` }),
    expect: anyone(200),
  },
  {
    route: 'POST /v1/projects/{project}/domains',
    setup: async (api) => ({
      url: `/v1/projects/${await project(api)}/domains`,
      body: { hostname: `${unique('d')}.example.com` },
    }),
    expect: atLeast('developer', 201),
  },
  {
    route: 'DELETE /v1/projects/{project}/domains/{domain}',
    setup: async (api) => {
      const name = await project(api);
      const created = await api.call('POST', `/v1/projects/${name}/domains`, {
        body: { hostname: `${unique('d')}.example.com` },
      });
      return { url: `/v1/projects/${name}/domains/${created.json().id}` };
    },
    expect: atLeast('developer', 204),
  },
  { route: 'GET /v1/audit-events', expect: atLeast('admin', 200) },
];

for (const driver of drivers) {
  describe(`RBAC matrix on ${driver}`, () => {
    let api: TestApi;
    const members = new Map<Role, Member>();
    before(async () => {
      api = await startTestApi(driver);
      for (const role of roles) members.set(role, await api.memberWithRole(role));
    });
    after(() => api.close());

    test('every route of the OpenAPI document has a row, and every row a route', async () => {
      const document = (await api.call('GET', '/v1/openapi.json', { token: null })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((method) => method !== 'head')
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
      assert.deepEqual(documented.sort(), matrix.map((row) => row.route).sort());
    });

    for (const row of matrix) {
      test(row.route, async () => {
        const method = row.route.split(' ')[0]!;
        for (const caller of ['anonymous', ...roles] as const) {
          const self = caller === 'anonymous' ? undefined : members.get(caller)!;
          const request = row.setup
            ? await row.setup(api, self ?? members.get('owner')!)
            : { url: row.route.split(' ')[1]! };
          const response = request.payload
            ? await api.app.inject({
                method: method as 'PUT',
                url: request.url,
                headers: {
                  'content-type': request.contentType!,
                  ...(self ? { authorization: `Bearer ${self.token}` } : {}),
                },
                payload: request.payload,
              })
            : await api.call(method, request.url, { token: self?.token ?? null, body: request.body });
          assert.equal(response.statusCode, row.expect[caller], `${caller}: ${response.body}`);
          if (method !== 'GET' && response.statusCode < 300 && self && !readsByPost.has(row.route)) {
            const events = await api.db
              .select()
              .from(auditEvents)
              .where(eq(auditEvents.actorTokenId, self.tokenId));
            assert.ok(events.length > 0, `${caller}'s ${row.route} wrote an audit event`);
          }
        }
      });
    }
  });
}
