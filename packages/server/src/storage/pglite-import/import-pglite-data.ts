import { renameSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from '../database.ts';
import { migrate } from '../migrate.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import { quoteIdentifier } from '../postgres-database.ts';
import { earlierEngineData } from './earlier-engine-data.ts';

/** Rows read from the old engine and written to the new database per statement. */
const ROWS_PER_BATCH = 2000;

export class PgliteImportError extends Error {
  constructor(
    readonly code: 'NOTHING_TO_IMPORT' | 'TARGET_NOT_EMPTY' | 'NEWER_DATA',
    message: string,
  ) {
    super(message);
  }
}

export interface ImportSummary {
  /** The migration version the old data was at (the new database is migrated on from there). */
  version: number;
  tables: { name: string; rows: number }[];
  /** Where the old folder now is, kept as it was until the owner deletes it. */
  keptAt: string;
}

/**
 * Moves the earlier engine's data into `target`: migrates the empty target to the old data's
 * version, so both have the same tables, then copies every table, rows as JSON, and the
 * sequences' positions, in one transaction (all or nothing). The old folder is then renamed, not
 * deleted. The server's own start migrates the result on to the current version.
 */
export async function importPgliteData(dataDir: string, target: Database, now = new Date()): Promise<ImportSummary> {
  const folder = earlierEngineData(dataDir);
  if (!folder) throw new PgliteImportError('NOTHING_TO_IMPORT', `No data of the earlier engine in ${dataDir}`);
  await assertEmpty(target);
  // Loaded only here: the server itself no longer runs this engine.
  const { PGlite } = await import('@electric-sql/pglite');
  const old = await PGlite.create(folder);
  let summary: Omit<ImportSummary, 'keptAt'>;
  try {
    const version = await versionOf(old);
    if (!MIGRATIONS.some((m) => m.version === version)) {
      throw new PgliteImportError(
        'NEWER_DATA',
        `The data is at migration ${version}, which this version does not know`,
      );
    }
    await migrate(
      target,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    const tables = await target.transaction((tx) => copyTables(old, tx));
    summary = { version, tables };
  } finally {
    await old.close();
  }
  const keptAt = `${folder}-imported-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(folder, keptAt);
  return { ...summary, keptAt };
}

async function assertEmpty(target: Database): Promise<void> {
  const [found] = await target.query<{ tables: number }>(
    "SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'portals'",
  );
  if (!found?.tables) return;
  const [portals] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM portals');
  if (portals?.n) {
    throw new PgliteImportError(
      'TARGET_NOT_EMPTY',
      'The new database already holds portals: import only into an empty one (move its data folder away first)',
    );
  }
}

async function versionOf(old: PGlite): Promise<number> {
  const { rows } = await old.query<{ version: number }>('SELECT max(version)::int AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

async function copyTables(old: PGlite, tx: Queryable): Promise<{ name: string; rows: number }[]> {
  // Foreign keys are not checked while copying (the old data already met them): tables go in any order.
  await tx.exec('SET LOCAL session_replication_role = replica');
  const { rows: tables } = await old.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  // Rows the migrations themselves wrote (built-in clients and the like) come over with the rest.
  if (tables.length > 0) await tx.exec(`TRUNCATE ${tables.map((t) => quoteIdentifier(t.name)).join(', ')}`);
  const copied: { name: string; rows: number }[] = [];
  for (const { name } of tables) copied.push({ name, rows: await copyTable(old, tx, quoteIdentifier(name)) });
  const { rows: sequences } = await old.query<{ name: string; last: string | null }>(
    "SELECT sequencename AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'",
  );
  for (const { name, last } of sequences) {
    if (last !== null) await tx.query('SELECT setval($1::regclass, $2::bigint)', [quoteIdentifier(name), last]);
  }
  return copied;
}

async function copyTable(old: PGlite, tx: Queryable, table: string): Promise<number> {
  let copied = 0;
  await old.transaction(async (read) => {
    await read.exec(`DECLARE import_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${table} t`);
    for (;;) {
      const { rows } = await read.query<{ row: string }>(`FETCH ${ROWS_PER_BATCH} FROM import_rows`);
      if (rows.length === 0) break;
      await tx.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [
        `[${rows.map((r) => r.row).join(',')}]`,
      ]);
      copied += rows.length;
    }
  });
  return copied;
}
