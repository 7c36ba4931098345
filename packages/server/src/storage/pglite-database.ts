import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDirectory } from './data-directory-lock.ts';
import type { Database, Queryable } from './database.ts';
import { PglitePreparedStatements } from './pglite-prepared-statements.ts';
import { PLAN_CACHE_MODE } from './postgres-database.ts';

/**
 * Embedded PostgreSQL (WASM) in a data directory. PGlite is one connection, so it serialises
 * statements itself; a transaction holds that connection until it ends. Statements with
 * parameters run prepared (see PglitePreparedStatements) under PGlite's own locks.
 */
export async function openPgliteDatabase(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? lockDataDirectory(dataDir) : null;
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir ?? undefined);
  } catch (error) {
    lock?.release();
    throw error;
  }
  await pg.exec(`SET plan_cache_mode = ${PLAN_CACHE_MODE}`);
  const prepared = new PglitePreparedStatements(pg);
  const root: Queryable = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      if (!prepared.accepts(sql)) return (await pg.query<Row>(sql, params as unknown[])).rows;
      // The same locks PGlite's own `query` takes: outside a transaction, wait for it to end.
      return pg._runExclusiveTransaction(() => pg._runExclusiveQuery(() => prepared.query<Row>(sql, params, true)));
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };
  const inTransaction = (tx: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      if (!prepared.accepts(sql)) return (await tx.query<Row>(sql, params as unknown[])).rows;
      return pg._runExclusiveQuery(() => prepared.query<Row>(sql, params, false));
    },
    async exec(sql: string) {
      await tx.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    query: root.query,
    exec: root.exec,
    transaction: (work) => pg.transaction((tx) => work(inTransaction(tx))),
    async close() {
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}
