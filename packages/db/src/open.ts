import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { HelixError } from '@helixstack/sdk';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './dir-lock.ts';
import * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Driver = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Database;
  driver: Driver;
  /** Waits for running queries, then closes connections and releases the data directory. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Postgres connection string; without it the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; omitted means in memory (tests). */
  dataDir?: string | undefined;
  /** Told when an idle Postgres connection breaks (say, a server restart); the pool reconnects. */
  onConnectionError?: (error: Error) => void;
}

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
/** Any constant works; it only has to be the same for every HelixStack server. */
const migrationLockKey = 0x48454c4958;

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  try {
    return options.databaseUrl
      ? await openPostgres(options.databaseUrl, options.onConnectionError)
      : await openPglite(options.dataDir);
  } catch (error) {
    if (error instanceof HelixError) throw error;
    throw new HelixError('HLX_DATABASE', `The database could not be opened: ${(error as Error).message}`);
  }
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  let lock: { release(): void } | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o711 });
    lock = lockDataDir(dataDir);
    // Apps run as an unprivileged user and may traverse the data directory to their
    // artifacts, but never read the database.
    mkdirSync(join(dataDir, 'pglite'), { recursive: true, mode: 0o700 });
    chmodSync(join(dataDir, 'pglite'), 0o700);
  }
  try {
    const client = dataDir ? new PGlite(join(dataDir, 'pglite')) : new PGlite();
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as unknown as Database,
      driver: 'pglite',
      async close() {
        await client.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function openPostgres(
  databaseUrl: string,
  onConnectionError: (error: Error) => void = () => {},
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // Without a listener, a broken idle connection would crash the process.
  pool.on('error', onConnectionError);
  try {
    const db = drizzlePostgres({ client: pool, schema });
    // Session-level advisory lock on one connection serialises servers that start together;
    // the migrator skips what the first one applied.
    const locker = await pool.connect();
    try {
      await locker.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
      await migratePostgres(db, { migrationsFolder });
    } finally {
      await locker.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
      locker.release();
    }
    return { db: db as unknown as Database, driver: 'postgres', close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/** Both drivers answer raw queries with `{ rows }`; the shared type cannot say so. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
