import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiTokens } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, gt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { atLeast } from '../roles.ts';
import { Body, Id, ListQuery, NullableTimestamp, Page, Role, Timestamp } from '../schemas.ts';
import { issueToken } from '../tokens.ts';

export const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Role,
  prefix: Type.String(),
  userId: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});

export const presentToken = (token: typeof apiTokens.$inferSelect) => ({
  id: token.id,
  name: token.name,
  role: token.role,
  prefix: token.prefix,
  userId: token.userId,
  createdAt: token.createdAt.toISOString(),
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  revokedAt: token.revokedAt?.toISOString() ?? null,
});

export const tokenRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/tokens',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "Lists the caller's tokens; admins and owners see every token of the organization.",
        tags: ['tokens'],
        querystring: ListQuery,
        response: { 200: Page(Token) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.orgId, principal.orgId),
            atLeast(principal.role, 'admin') ? undefined : eq(apiTokens.userId, principal.userId),
            after ? gt(apiTokens.id, after) : undefined,
          ),
        )
        .orderBy(asc(apiTokens.id))
        .limit(limit + 1);
      return toPage(rows, limit, presentToken);
    },
  );

  app.post(
    '/tokens',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          "Creates a token for the caller; its role is at most the caller's. The secret is shown once.",
        tags: ['tokens'],
        body: Body({ name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.Optional(Role) }),
        response: { 201: Type.Object({ token: Token, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const role = request.body.role ?? principal.role;
      if (!atLeast(principal.role, role)) {
        throw new HelixError(
          'HLX_FORBIDDEN',
          `A ${principal.role} cannot create a token with the role ${role}.`,
        );
      }
      const { token, secret } = await issueToken(db, {
        orgId: principal.orgId,
        userId: principal.userId,
        name: request.body.name,
        role,
      });
      await recordAudit(
        db,
        request,
        'token.create',
        { type: 'token', id: token.id },
        { name: token.name, role },
      );
      return reply.status(201).send({ token: presentToken(token), secret });
    },
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Revokes a token at once. Anyone may revoke their own tokens; admins may revoke any.',
        tags: ['tokens'],
        params: Type.Object({ tokenId: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const [token] = await db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.id, request.params.tokenId), eq(apiTokens.orgId, principal.orgId)));
      // Members below admin do not see other members' tokens, so those are absent to them.
      if (!token || (token.userId !== principal.userId && !atLeast(principal.role, 'admin'))) {
        throw new HelixError('HLX_NOT_FOUND', 'No such token.');
      }
      if (!token.revokedAt) {
        await db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, token.id));
      }
      await recordAudit(db, request, 'token.revoke', { type: 'token', id: token.id });
      return reply.status(204).send(null);
    },
  );
};
