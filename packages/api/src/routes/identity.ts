import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiTokens, memberships, newId, organizations, users } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, gt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { uniquely } from '../db-errors.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, ListQuery, Name, Page, Role, Timestamp } from '../schemas.ts';
import { issueToken } from '../tokens.ts';
import { presentToken, Token } from './tokens.ts';

const Org = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Timestamp });
const OrgWithRole = Type.Object({ ...Org.properties, role: Role });
const presentOrg = (org: typeof organizations.$inferSelect) => ({
  id: org.id,
  name: org.name,
  createdAt: org.createdAt.toISOString(),
});

export const identityRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/whoami',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'The user, organization and token behind the calling token.',
        tags: ['identity'],
        response: {
          200: Type.Object({
            user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
            org: Org,
            token: Type.Object({ id: Type.String(), name: Type.String(), role: Role }),
          }),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const [row] = await db
        .select({ user: users, org: organizations, token: apiTokens })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .innerJoin(organizations, eq(organizations.id, apiTokens.orgId))
        .where(eq(apiTokens.id, principal.tokenId));
      if (!row) throw new HelixError('HLX_UNAUTHENTICATED');
      return {
        user: { id: row.user.id, email: row.user.email, name: row.user.name },
        org: presentOrg(row.org),
        token: { id: row.token.id, name: row.token.name, role: principal.role },
      };
    },
  );

  app.get(
    '/orgs',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Organizations the calling user belongs to, with their role in each.',
        tags: ['identity'],
        querystring: ListQuery,
        response: { 200: Page(OrgWithRole) },
      },
    },
    async (request) => {
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select({ org: organizations, role: memberships.role })
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .where(
          and(
            eq(memberships.userId, principalOf(request).userId),
            after ? gt(organizations.id, after) : undefined,
          ),
        )
        .orderBy(asc(organizations.id))
        .limit(limit + 1);
      return toPage(
        rows.map((row) => ({ ...row, id: row.org.id })),
        limit,
        (row) => ({ ...presentOrg(row.org), role: row.role }),
      );
    },
  );

  app.post(
    '/orgs',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Creates an organization owned by the calling user, and an owner token for it (shown once).',
        tags: ['identity'],
        body: Body({ name: Name }),
        response: { 201: Type.Object({ org: Org, token: Token, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const org = await uniquely(`Organization "${request.body.name}"`, async () => {
        const [created] = await db
          .insert(organizations)
          .values({ id: newId('org'), name: request.body.name })
          .returning();
        return created!;
      });
      await db.insert(memberships).values({ orgId: org.id, userId: principal.userId, role: 'owner' });
      const issued = await issueToken(db, {
        orgId: org.id,
        userId: principal.userId,
        name: 'owner',
        role: 'owner',
      });
      await recordAudit(db, request, 'org.create', { type: 'org', id: org.id }, { name: org.name });
      return reply
        .status(201)
        .send({ org: presentOrg(org), token: presentToken(issued.token), secret: issued.secret });
    },
  );

  app.get(
    '/org',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'The organization of the calling token.',
        tags: ['identity'],
        response: { 200: Org },
      },
    },
    async (request) => {
      const [org] = await db
        .select()
        .from(organizations)
        .where(eq(organizations.id, principalOf(request).orgId));
      if (!org) throw new HelixError('HLX_NOT_FOUND');
      return presentOrg(org);
    },
  );

  app.patch(
    '/org',
    {
      config: { access: 'owner' },
      schema: {
        summary: 'Renames the organization.',
        tags: ['identity'],
        body: Body({ name: Name }),
        response: { 200: Org },
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const [org] = await uniquely(`Organization "${request.body.name}"`, () =>
        db
          .update(organizations)
          .set({ name: request.body.name })
          .where(eq(organizations.id, orgId))
          .returning(),
      );
      await recordAudit(db, request, 'org.update', { type: 'org', id: orgId }, { name: request.body.name });
      return presentOrg(org!);
    },
  );
};
