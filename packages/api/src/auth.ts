import { apiTokens, type Database, memberships, type Role } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Access, atLeast, lowest } from './roles.ts';
import { hashToken } from './tokens.ts';

export interface Principal {
  userId: string;
  orgId: string;
  tokenId: string;
  /** The token's role, capped by the user's current membership role. */
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Writing last_used_at on every call would turn each read into a write. */
const lastUsedResolutionMs = 60_000;

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new HelixError('HLX_UNAUTHENTICATED');
  return match[1];
}

export async function authenticate(db: Database, request: FastifyRequest): Promise<Principal> {
  const [row] = await db
    .select({ token: apiTokens, memberRole: memberships.role })
    .from(apiTokens)
    .leftJoin(
      memberships,
      and(eq(memberships.orgId, apiTokens.orgId), eq(memberships.userId, apiTokens.userId)),
    )
    .where(eq(apiTokens.tokenHash, hashToken(bearer(request))))
    .limit(1);
  if (!row) throw new HelixError('HLX_UNAUTHENTICATED', 'The API token is not valid.');
  if (row.token.revokedAt || !row.memberRole) throw new HelixError('HLX_TOKEN_REVOKED');
  const { token } = row;
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > lastUsedResolutionMs) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, token.id));
  }
  return {
    userId: token.userId,
    orgId: token.orgId,
    tokenId: token.id,
    role: lowest(token.role, row.memberRole),
  };
}

/** Every /v1 route declares its access; this hook enforces it before the handler runs. */
export async function authorize(db: Database, request: FastifyRequest): Promise<void> {
  const access = request.routeOptions.config.access;
  request.principal = null;
  if (access === 'public') return;
  const principal = await authenticate(db, request);
  request.principal = principal;
  if (!access || !atLeast(principal.role, access)) throw new HelixError('HLX_FORBIDDEN');
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HelixError('HLX_UNAUTHENTICATED');
  return request.principal;
}
