import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bootstrapIdentity, buildApi, SecretBox } from '@helixstack/api';
import { blockedFolder } from '@helixstack/builder-static';
import { openDatabase } from '@helixstack/db';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import { loadSecretKey, writeAdminToken } from './keys.ts';
import { composePlanes } from './planes.ts';

export interface RunningServer {
  /** Where the API listens, when this role serves it. */
  apiUrl: string | undefined;
  /** Where the edge router listens, when this role serves it (`http://<name>.<base>:<port>`). */
  routerUrl: string | undefined;
  adminTokenPath: string | undefined;
  /** Stops accepting, lets in-flight requests finish, stops the planes, then closes the database. */
  close(): Promise<void>;
}

async function version(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Starts the planes of the configured role on one database. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  // Traversable but not listable: apps (run as an unprivileged user) reach their artifacts
  // inside it, while the token, key and database files keep modes of their own.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
  chmodSync(config.dataDir, statSync(config.dataDir).mode | 0o001);
  if (process.getuid?.() === 0) {
    for (const path of [join(config.dataDir, 'artifacts')]) {
      const blocked = blockedFolder(path);
      if (blocked)
        logger.warn(`Apps run as nobody and cannot reach ${path}: run chmod o+x ${blocked}, or move it.`);
    }
  }
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection broke; reconnecting'),
  });
  let app: FastifyInstance | undefined;
  try {
    const secretBox = new SecretBox(loadSecretKey(config.dataDir, config.secretKey));
    const planes = await composePlanes(config, handle.db, secretBox, logger);
    await planes.start();
    const servesApi = config.role === 'all' || config.role === 'api';
    let adminTokenPath: string | undefined;
    let apiUrl: string | undefined;
    if (servesApi) {
      const identity = await bootstrapIdentity(
        handle.db,
        config.adminToken ? { adminToken: config.adminToken } : {},
      );
      adminTokenPath = identity.createdToken
        ? writeAdminToken(config.dataDir, identity.createdToken)
        : undefined;
      app = await buildApi({
        db: handle.db,
        driver: handle.driver,
        secretBox,
        version: await version(),
        platform: planes.platform,
        logger,
      });
      apiUrl = `${await app.listen({ host: config.host, port: config.port })}/v1`;
    }
    const routes = planes.platform.hostnames;
    const servesRoutes = config.role === 'all' || config.role === 'router';
    return {
      apiUrl,
      routerUrl: servesRoutes ? `http://<name>.${routes.baseDomain}:${routes.routerPort}` : undefined,
      adminTokenPath,
      async close() {
        await app?.close();
        await planes.close();
        await handle.close();
      },
    };
  } catch (error) {
    await app?.close();
    await handle.close();
    throw error;
  }
}
