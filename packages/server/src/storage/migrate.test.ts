import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createTestStorage } from '../testing/test-storage.ts';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { openPostgresDatabase, quoteIdentifier } from './postgres-database.ts';

const databaseUrl = process.env.DATABASE_URL;

test('migrations apply once and a second run changes nothing', async () => {
  const storage = await createTestStorage({ empty: true });
  const db = await storage.open();
  try {
    const first = await migrate(db);
    assert.deepEqual(
      first,
      MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(await migrate(db), []);
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    assert.equal(rows[0]?.n, MIGRATIONS.length);
  } finally {
    await db.close();
    await storage.drop();
  }
});

// Two processes share a PostgreSQL server; a managed cluster belongs to the one process that runs it.
if (databaseUrl)
  test('two processes starting at once migrate exactly once (PostgreSQL)', async () => {
    const schema = `m_${randomBytes(4).toString('hex')}`;
    const a = await openPostgresDatabase({ connectionString: databaseUrl!, schema });
    const b = await openPostgresDatabase({ connectionString: databaseUrl!, schema });
    try {
      const [fromA, fromB] = await Promise.all([migrate(a), migrate(b)]);
      assert.deepEqual(
        [...fromA, ...fromB].sort((x, y) => x - y),
        MIGRATIONS.map((m) => m.version),
      );
      const rows = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      assert.equal(rows[0]?.n, MIGRATIONS.length);
    } finally {
      await a.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      await a.close();
      await b.close();
    }
  });

test('a failing migration leaves nothing half-applied', async () => {
  const storage = await createTestStorage({ empty: true });
  const db = await storage.open();
  try {
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE good (id int)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE half (id int); SELECT no_such_function()' },
    ];
    await assert.rejects(migrate(db, broken));
    const tables = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('good', 'half', 'schema_migrations')",
    );
    assert.equal(tables[0]?.n, 0);
  } finally {
    await db.close();
    await storage.drop();
  }
});
