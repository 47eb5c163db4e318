import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Database, type Driver, memberships, newId, type Role, users } from '@helixstack/db';
import { openTestDatabase } from '@helixstack/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApi } from './app.ts';
import { bootstrapIdentity } from './bootstrap.ts';
import { SecretBox } from './secret-box.ts';
import { recordingPlatform } from './testing-platform.ts';
import { issueToken } from './tokens.ts';

export interface TestApi {
  app: FastifyInstance;
  db: Database;
  /** The owner token of the bootstrapped organization. */
  ownerToken: string;
  /** Every log line the API wrote, for tests that prove a secret never reaches the log. */
  logs: string[];
  call(
    method: string,
    url: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<LightMyRequestResponse>;
  /** A new member of the bootstrapped organization with this role, and a token of theirs. */
  memberWithRole(role: Role): Promise<{ userId: string; tokenId: string; token: string }>;
  platform: ReturnType<typeof recordingPlatform>;
  /** Uploads the files' blobs and returns the manifest a deployment's upload source takes. */
  upload(
    files: Record<string, string>,
    token?: string,
  ): Promise<{ path: string; size: number; mode: number; sha256: string }[]>;
  close(): Promise<void>;
}

/** A migrated, bootstrapped API on a fresh database of the given driver, for inject tests. */
export async function startTestApi(driver: Driver): Promise<TestApi> {
  const handle = await openTestDatabase(driver);
  const { createdToken } = await bootstrapIdentity(handle.db);
  const logs: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'helix-api-test-'));
  const platform = recordingPlatform(handle.db, dir);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApi({
    db: handle.db,
    driver,
    secretBox: new SecretBox(randomBytes(32)),
    version: 'test',
    platform,
    logger: pino({ level: 'trace' }, sink),
  });
  const ownerToken = createdToken!;
  const [owner] = await handle.db.select().from(memberships).limit(1);
  return {
    app,
    db: handle.db,
    ownerToken,
    logs,
    platform,
    async upload(files, token = ownerToken) {
      const manifest = [];
      for (const [path, content] of Object.entries(files)) {
        const sha256 = createHash('sha256').update(content).digest('hex');
        await app.inject({
          method: 'PUT',
          url: `/v1/blobs/${sha256}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
          payload: Buffer.from(content),
        });
        manifest.push({ path, size: Buffer.byteLength(content), mode: 0o644, sha256 });
      }
      return manifest;
    },
    call(method, url, { token = ownerToken, body } = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body === undefined ? {} : { payload: body as object }),
      });
    },
    async memberWithRole(role) {
      const userId = newId('usr');
      await handle.db.insert(users).values({ id: userId, email: `${userId}@test.local`, name: role });
      await handle.db.insert(memberships).values({ orgId: owner!.orgId, userId, role });
      const { token, secret } = await issueToken(handle.db, {
        orgId: owner!.orgId,
        userId,
        name: role,
        role,
      });
      return { userId, tokenId: token.id, token: secret };
    },
    async close() {
      await app.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
