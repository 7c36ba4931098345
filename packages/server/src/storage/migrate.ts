import type { Database } from './database.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

/** Any constant works; it names the advisory lock that serialises concurrent start-ups. */
const MIGRATION_LOCK_KEY = 7_051_924;

/**
 * Applies the migrations that are not yet applied, each in its own transaction. Safe to run
 * twice, and safe when two server processes start at once: the advisory lock makes the second
 * wait, and it then finds the work done.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  assertOrdered(migrations);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && previous.version >= m.version) {
      throw new Error(`Migrations out of order: ${previous.version} before ${m.version}`);
    }
  });
}
