import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditEvents } from '@helixstack/db';
import { and, desc, eq, lt } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { ListQuery, Page, Timestamp } from '../schemas.ts';

const AuditEvent = Type.Object({
  id: Type.String(),
  action: Type.String(),
  actor: Type.Object({
    userId: Type.Union([Type.String(), Type.Null()]),
    tokenId: Type.Union([Type.String(), Type.Null()]),
  }),
  target: Type.Object({ type: Type.String(), id: Type.String() }),
  sourceIp: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

const presentEvent = (event: typeof auditEvents.$inferSelect) => ({
  id: event.id,
  action: event.action,
  actor: { userId: event.actorUserId, tokenId: event.actorTokenId },
  target: { type: event.targetType, id: event.targetId },
  sourceIp: event.sourceIp,
  metadata: event.metadata,
  createdAt: event.createdAt.toISOString(),
});

export const auditRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/audit-events',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The audit trail of the organization, newest first.',
        tags: ['audit'],
        querystring: Type.Object(
          {
            ...ListQuery.properties,
            action: Type.Optional(Type.String({ maxLength: 100 })),
            targetId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(AuditEvent) },
      },
    },
    async (request) => {
      const { limit = 20, cursor, action, targetId } = request.query;
      const before = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.orgId, principalOf(request).orgId),
            action ? eq(auditEvents.action, action) : undefined,
            targetId ? eq(auditEvents.targetId, targetId) : undefined,
            before ? lt(auditEvents.id, before) : undefined,
          ),
        )
        .orderBy(desc(auditEvents.id))
        .limit(limit + 1);
      return toPage(rows, limit, presentEvent);
    },
  );
};
