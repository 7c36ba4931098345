import pg from 'pg';
import type { Database, Queryable } from './database.ts';

// BIGINT columns come back as strings by default; our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PostgresOptions {
  connectionString: string;
  /** Schema to work in (tests give each run its own); created when missing. */
  schema?: string;
  maxConnections?: number;
}

/** Beyond this many distinct statements, the rest run unnamed (SQL built at run time). */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Names each distinct statement with parameters, so that every pooled connection parses and plans
 * it once and then only binds and executes it: the messenger's statements are CTEs whose planning
 * cost more than their execution.
 */
function namedStatements() {
  const names = new Map<string, string>();
  return (sql: string, params: readonly unknown[]): pg.QueryConfig => {
    let name = names.get(sql);
    if (name === undefined && params.length > 0 && names.size < MAX_NAMED_STATEMENTS) {
      name = `pd_${names.size + 1}`;
      names.set(sql, name);
    }
    return name === undefined
      ? { text: sql, values: params as unknown[] }
      : { name, text: sql, values: params as unknown[] };
  };
}

/**
 * Every named statement runs its generic plan. Statements that take a batch as arrays (`unnest`)
 * otherwise get a custom plan for each array length, that is, are planned again on every run,
 * which cost more than running them; the rest are keyed lookups whose generic plan is the same.
 */
export const PLAN_CACHE_MODE = 'force_generic_plan';

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    options: [
      `-c plan_cache_mode=${PLAN_CACHE_MODE}`,
      ...(options.schema ? [`-c search_path=${options.schema}`] : []),
    ].join(' '),
  });
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
  }
  const statement = namedStatements();
  const query: Queryable['query'] = async <Row>(sql: string, params: readonly unknown[] = []) => {
    const result = await pool.query(statement(sql, params));
    return result.rows as Row[];
  };
  return {
    kind: 'postgres',
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(statement(sql, params))).rows as Row[],
          exec: async (sql: string) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}
