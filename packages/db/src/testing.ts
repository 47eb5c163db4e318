import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, type Driver, openDatabase } from './open.ts';

/** Every database test runs on both drivers. */
export const drivers: readonly Driver[] = ['pglite', 'postgres'];

/** The server the Postgres tests create their databases on. CI requires it to be up. */
export const testPostgresUrl =
  process.env.HELIX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrlFor(name: string): string {
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty Postgres database and returns its URL and a function that drops it. */
export async function createTestPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `helix_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrlFor(name),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        // A closed pool's sockets may still be closing: forcing them off now would hand
        // their clients an error after their owner stopped listening.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await client.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated, empty database on the given driver; close() also drops it. */
export async function openTestDatabase(driver: Driver): Promise<DatabaseHandle> {
  if (driver === 'pglite') return openDatabase({});
  const database = await createTestPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: database.url });
  return {
    ...handle,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
