import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { bootstrapIdentity, buildApi, SecretBox } from '@helixstack/api';
import { openDatabase } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import { loadSecretKey, writeAdminToken } from './keys.ts';

export interface RunningServer {
  apiUrl: string;
  adminTokenPath: string | undefined;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

async function version(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Composes the planes for the configured role. Today: the control plane API. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  if (config.role === 'worker' || config.role === 'router') {
    throw new HelixError(
      'HLX_CONFIG',
      `The ${config.role} role is not available in this version; use all or api.`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection broke; reconnecting'),
  });
  try {
    const identity = await bootstrapIdentity(
      handle.db,
      config.adminToken ? { adminToken: config.adminToken } : {},
    );
    const adminTokenPath = identity.createdToken
      ? writeAdminToken(config.dataDir, identity.createdToken)
      : undefined;
    const app = await buildApi({
      db: handle.db,
      driver: handle.driver,
      secretBox: new SecretBox(loadSecretKey(config.dataDir, config.secretKey)),
      version: await version(),
      logger,
    });
    const address = await app.listen({ host: config.host, port: config.port });
    return {
      apiUrl: `${address}/v1`,
      adminTokenPath,
      async close() {
        await app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
