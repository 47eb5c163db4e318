import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { newId } from './ids.ts';
import { openDatabase, rowsOf } from './open.ts';
import { organizations } from './schema.ts';
import { createTestPostgresDatabase, drivers, openTestDatabase } from './testing.ts';

for (const driver of drivers) {
  describe(`migrations on ${driver}`, () => {
    test('an empty database gets every table, and migrating again is a no-op', async () => {
      const handle = await openTestDatabase(driver);
      try {
        const tables = await handle.db.execute(
          sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
        );
        const names = rowsOf<{ table_name: string }>(tables).map((row) => row.table_name);
        for (const table of [
          'api_tokens',
          'audit_events',
          'deployments',
          'env_vars',
          'organizations',
          'projects',
        ]) {
          assert.ok(names.includes(table), `${table} exists`);
        }
        const applied = rowsOf<{ n: number }>(
          await handle.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`),
        );
        assert.ok(Number(applied[0]?.n) >= 1);
      } finally {
        await handle.close();
      }
    });
  });
}

describe('postgres migrations', () => {
  test('two servers starting together on one empty database both come up with one migration history', async () => {
    const database = await createTestPostgresDatabase();
    try {
      const [a, b] = await Promise.all([
        openDatabase({ databaseUrl: database.url }),
        openDatabase({ databaseUrl: database.url }),
      ]);
      const history = rowsOf<{ hash: string }>(
        await a.db.execute(sql`SELECT hash FROM drizzle.__drizzle_migrations`),
      );
      const hashes = history.map((row) => row.hash);
      assert.equal(new Set(hashes).size, hashes.length, 'no migration applied twice');
      await b.db.insert(organizations).values({ id: newId('org'), name: 'raced' });
      assert.equal((await a.db.select().from(organizations)).length, 1);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await database.drop();
    }
  });
});

describe('embedded data directory', () => {
  test('a second server on the same directory is refused and the data stays intact', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'helix-db-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.db.insert(organizations).values({ id: newId('org'), name: 'kept' });
      await assert.rejects(openDatabase({ dataDir }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'HLX_DATA_DIR_LOCKED');
        return true;
      });
      assert.deepEqual(
        (await first.db.select().from(organizations)).map((org) => org.name),
        ['kept'],
      );
      await first.close();
      const reopened = await openDatabase({ dataDir });
      assert.equal((await reopened.db.select().from(organizations)).length, 1);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
