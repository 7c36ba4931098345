/**
 * A database for a benchmark that runs the server's code in its own process: the managed
 * PostgreSQL cluster, as the server runs it by default, in a temporary data directory; or, with
 * DATABASE_URL, a schema of its own on that PostgreSQL server. `close` removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate, openDatabase } from '@portaldesk/server';
import { openPostgresDatabase, quoteIdentifier } from '@portaldesk/server/testing';

export interface BenchDatabase {
  db: Database;
  label: string;
  close(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const schema = `bench_${process.pid}`;
    const db = await openPostgresDatabase({ connectionString: databaseUrl, schema });
    await migrate(db);
    return {
      db,
      label: 'PostgreSQL (DATABASE_URL)',
      close: async () => {
        await db.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
        await db.close();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-bench-'));
  const db = await openDatabase({ dataDir });
  await migrate(db);
  return {
    db,
    label: 'managed PostgreSQL (the default)',
    close: async () => {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
