import { randomBytes } from 'node:crypto';
import type { Driver } from '@helixstack/db';
import { openTestDatabase } from '@helixstack/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi } from './app.ts';
import { bootstrapIdentity } from './bootstrap.ts';
import { SecretBox } from './secret-box.ts';

export interface TestApi {
  app: FastifyInstance;
  /** The owner token of the bootstrapped organization. */
  ownerToken: string;
  call(
    method: string,
    url: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A migrated, bootstrapped API on a fresh database of the given driver, for inject tests. */
export async function startTestApi(driver: Driver): Promise<TestApi> {
  const handle = await openTestDatabase(driver);
  const { createdToken } = await bootstrapIdentity(handle.db);
  const app = await buildApi({
    db: handle.db,
    driver,
    secretBox: new SecretBox(randomBytes(32)),
    version: 'test',
  });
  const ownerToken = createdToken!;
  return {
    app,
    ownerToken,
    call(method, url, { token = ownerToken, body } = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body === undefined ? {} : { payload: body as object }),
      });
    },
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
