import { auditEvents, type Database, newId } from '@helixstack/db';
import type { FastifyRequest } from 'fastify';
import { principalOf } from './auth.ts';

export interface AuditTarget {
  type: string;
  id: string;
}

/**
 * Records who did what to which object. Metadata must never carry a secret value:
 * callers pass names and flags, not values.
 */
export async function recordAudit(
  db: Database,
  request: FastifyRequest,
  action: string,
  target: AuditTarget,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  const principal = principalOf(request);
  await db.insert(auditEvents).values({
    id: newId('evt'),
    orgId: principal.orgId,
    actorUserId: principal.userId,
    actorTokenId: principal.tokenId,
    action,
    targetType: target.type,
    targetId: target.id,
    sourceIp: request.ip,
    metadata,
  });
}
