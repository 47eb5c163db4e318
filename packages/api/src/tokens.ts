import { createHash, randomBytes } from 'node:crypto';
import { apiTokens, type Database, newId, type Role } from '@helixstack/db';

const tokenPrefix = 'hlx_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token and returns its secret once; only the hash is stored. */
export async function issueToken(
  db: Database,
  input: { orgId: string; userId: string; name: string; role: Role; secret?: string },
) {
  const secret = input.secret ?? `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  const [token] = await db
    .insert(apiTokens)
    .values({
      id: newId('tok'),
      orgId: input.orgId,
      userId: input.userId,
      name: input.name,
      role: input.role,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, tokenPrefix.length + 6),
    })
    .returning();
  return { token: token!, secret };
}
