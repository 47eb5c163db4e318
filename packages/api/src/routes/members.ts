import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiTokens, type Database, memberships, newId, type Role, users } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { type Principal, principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { atLeast } from '../roles.ts';
import { Body, Id, ListQuery, Page, Role as RoleSchema, Timestamp } from '../schemas.ts';

const Member = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: Timestamp,
});
const MemberParams = Type.Object({ userId: Id });

type MemberRow = { membership: typeof memberships.$inferSelect; user: typeof users.$inferSelect };
const presentMember = ({ membership, user }: MemberRow) => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: membership.role,
  createdAt: membership.createdAt.toISOString(),
});

function mayGrant(principal: Principal, role: Role): void {
  if (!atLeast(principal.role, role)) {
    throw new HelixError('HLX_FORBIDDEN', `A ${principal.role} cannot grant the role ${role}.`);
  }
}

async function findMember(db: Database, orgId: string, userId: string): Promise<MemberRow> {
  const [row] = await db
    .select({ membership: memberships, user: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) throw new HelixError('HLX_NOT_FOUND', 'No such member.');
  return row;
}

/** Refuses to leave an organization without an owner. */
async function keepAnOwner(db: Database, orgId: string, leavingUserId: string): Promise<void> {
  const others = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner'), ne(memberships.userId, leavingUserId)),
    )
    .limit(1);
  if (others.length === 0) throw new HelixError('HLX_LAST_OWNER');
}

export const memberRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/members',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Members of the organization.',
        tags: ['members'],
        querystring: ListQuery,
        response: { 200: Page(Member) },
      },
    },
    async (request) => {
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select({ membership: memberships, user: users })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(
          and(eq(memberships.orgId, principalOf(request).orgId), after ? gt(users.id, after) : undefined),
        )
        .orderBy(asc(users.id))
        .limit(limit + 1);
      return toPage(
        rows.map((row) => ({ ...row, id: row.user.id })),
        limit,
        presentMember,
      );
    },
  );

  app.post(
    '/members',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Adds a user (created by email if new) to the organization with a role.',
        tags: ['members'],
        body: Body({
          email: Type.String({ format: 'email', maxLength: 254 }),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          role: RoleSchema,
        }),
        response: { 201: Member },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { email, role } = request.body;
      mayGrant(principal, role);
      const normalized = email.toLowerCase();
      const [existing] = await db.select().from(users).where(eq(users.email, normalized));
      const user =
        existing ??
        (
          await db
            .insert(users)
            .values({
              id: newId('usr'),
              email: normalized,
              name: request.body.name ?? normalized.split('@')[0]!,
            })
            .returning()
        )[0]!;
      const [membership] = await db
        .insert(memberships)
        .values({ orgId: principal.orgId, userId: user.id, role })
        .onConflictDoNothing()
        .returning();
      if (!membership) throw new HelixError('HLX_CONFLICT', `${normalized} is already a member.`);
      await recordAudit(db, request, 'member.add', { type: 'user', id: user.id }, { role });
      return reply.status(201).send(presentMember({ membership, user }));
    },
  );

  app.patch(
    '/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Changes a member's role.",
        tags: ['members'],
        params: MemberParams,
        body: Body({ role: RoleSchema }),
        response: { 200: Member },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const current = await findMember(db, principal.orgId, request.params.userId);
      mayGrant(principal, request.body.role);
      mayGrant(principal, current.membership.role);
      if (current.membership.role === 'owner' && request.body.role !== 'owner') {
        await keepAnOwner(db, principal.orgId, current.user.id);
      }
      const [membership] = await db
        .update(memberships)
        .set({ role: request.body.role })
        .where(and(eq(memberships.orgId, principal.orgId), eq(memberships.userId, current.user.id)))
        .returning();
      await recordAudit(
        db,
        request,
        'member.update',
        { type: 'user', id: current.user.id },
        { role: request.body.role },
      );
      return presentMember({ membership: membership!, user: current.user });
    },
  );

  app.delete(
    '/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Removes a member; their tokens for this organization are revoked.',
        tags: ['members'],
        params: MemberParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const current = await findMember(db, principal.orgId, request.params.userId);
      mayGrant(principal, current.membership.role);
      if (current.membership.role === 'owner') await keepAnOwner(db, principal.orgId, current.user.id);
      await db
        .delete(memberships)
        .where(and(eq(memberships.orgId, principal.orgId), eq(memberships.userId, current.user.id)));
      await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.orgId, principal.orgId), eq(apiTokens.userId, current.user.id)));
      await recordAudit(db, request, 'member.remove', { type: 'user', id: current.user.id });
      return reply.status(204).send(null);
    },
  );
};
