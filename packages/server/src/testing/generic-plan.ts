import type { Database, Queryable } from '../storage/database.ts';

/**
 * The plan the server runs for `sql`, as EXPLAIN prints it. Statements are prepared once per
 * connection and keep their generic plan (PLAN_CACHE_MODE in postgres-database.ts), made while
 * the database may still be nearly empty and kept until autovacuum's ANALYZE retires it; for the
 * statements every request or send runs, a plan that scans a table would cost until then. `types`
 * are the parameters' types and `args` SQL literals to explain it with.
 */
export function genericPlanOf(
  db: Database,
  sql: string,
  types: readonly string[],
  args: readonly string[],
): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL plan_cache_mode = force_generic_plan');
    await tx.exec(`PREPARE explained_statement(${types.join(', ')}) AS ${sql}`);
    try {
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE explained_statement(${args.join(', ')})`);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await tx.exec('DEALLOCATE explained_statement');
    }
  });
}

/** `on`, noting the SQL of every statement run through it, in order, in `statements`. */
export function capturingSql(on: Queryable): Queryable & { readonly statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query: (sql, params) => {
      statements.push(sql);
      return on.query(sql, params);
    },
    exec: (sql) => on.exec(sql),
  };
}

/** The SQL of every statement `work` runs on `db` outside a transaction, in order. */
export async function statementsRunBy(db: Database, work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const original = db.query;
  const target = db as { query: Database['query'] };
  target.query = (sql, params) => {
    statements.push(sql);
    return original.call(db, sql, params) as never;
  };
  try {
    await work();
  } finally {
    target.query = original;
  }
  return statements;
}
