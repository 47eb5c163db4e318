import { apiTokens, type Database, memberships, newId, organizations, users } from '@helixstack/db';
import { asc, eq, sql } from 'drizzle-orm';
import { hashToken, issueToken } from './tokens.ts';

export interface BootstrapResult {
  /** Set when this call created the admin token: the only time its secret is known. */
  createdToken?: string;
  orgName: string;
}

const bootstrapLockKey = 0x48454c4931;

/**
 * On the first start, creates the owner user, the organization and an admin token. With
 * `adminToken` (HELIX_ADMIN_TOKEN) that token is made valid for the owner if it is not yet.
 * Serialised by a transaction lock so servers starting together create one owner.
 */
export async function bootstrapIdentity(
  db: Database,
  options: { adminToken?: string } = {},
): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${bootstrapLockKey})`);
    const db = tx as unknown as Database;
    const [firstOrg] = await db.select().from(organizations).orderBy(asc(organizations.id)).limit(1);
    if (firstOrg) {
      if (options.adminToken) await adoptToken(db, firstOrg.id, options.adminToken);
      return { orgName: firstOrg.name };
    }
    const [owner] = await db
      .insert(users)
      .values({ id: newId('usr'), email: 'owner@localhost', name: 'owner' })
      .returning();
    const [org] = await db
      .insert(organizations)
      .values({ id: newId('org'), name: 'default' })
      .returning();
    await db.insert(memberships).values({ orgId: org!.id, userId: owner!.id, role: 'owner' });
    const issued = await issueToken(db, {
      orgId: org!.id,
      userId: owner!.id,
      name: 'admin',
      role: 'owner',
      ...(options.adminToken ? { secret: options.adminToken } : {}),
    });
    return { orgName: org!.name, ...(options.adminToken ? {} : { createdToken: issued.secret }) };
  });
}

async function adoptToken(db: Database, orgId: string, secret: string): Promise<void> {
  const [existing] = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(secret)));
  if (existing) return;
  const [owner] = await db
    .select()
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (owner) await issueToken(db, { orgId, userId: owner.userId, name: 'admin', role: 'owner', secret });
}
