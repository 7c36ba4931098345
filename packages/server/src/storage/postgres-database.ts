import pg from 'pg';
import type { Database, Queryable, Transaction } from './database.ts';

// BIGINT columns come back as strings by default; our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PostgresOptions {
  /** A URL, or the parts of one (the managed cluster's socket and password). */
  connectionString?: string;
  connection?: { host: string; port: number; user: string; password: string; database: string };
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
    ...(options.connection ?? { connectionString: options.connectionString }),
    max: options.maxConnections ?? 10,
    // Connections stay open however long they idle: a new one costs PostgreSQL a backend's start
    // and the planning of every named statement again (pg closes idle ones after 10 s by default,
    // which at a low rate happened all the time).
    idleTimeoutMillis: 0,
    // …without holding the process open once nothing else does.
    allowExitOnIdle: true,
    // A query is written as soon as it is made, not after the one before it is answered: a
    // transaction's BEGIN goes out with its first statement (see transaction below).
    pipeline: true,
    options: [
      `-c plan_cache_mode=${PLAN_CACHE_MODE}`,
      // A generic plan over a large table can be estimated above jit_above_cost, and is then
      // compiled again at every run (a message search: ~18 ms of compiling for a 4 ms query).
      // Every statement here is a short keyed query that never gains from JIT; the managed
      // cluster is built without it.
      '-c jit=off',
      ...(options.schema ? [`-c search_path=${options.schema}`] : []),
    ].join(' '),
  });
  // A connection that breaks while idle in the pool (the database restarted) is dropped by the
  // pool; without a listener, the error it emits would end the process.
  pool.on('error', () => {});
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
  }
  const statement = namedStatements();
  let closed: Promise<void> | undefined;
  const query: Queryable['query'] = async <Row>(sql: string, params: readonly unknown[] = []) => {
    const result = await pool.query(statement(sql, params));
    return result.rows as Row[];
  };
  return {
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(work) {
      const client = await pool.connect();
      // While the transaction holds it, the pool no longer listens to this connection: a break
      // between two statements (the database restarting) would be an unhandled error that ends
      // the process. It is noted here, and the next statement fails instead.
      let broken: Error | undefined;
      const noteBreak = (error: Error) => {
        broken = error;
      };
      client.on('error', noteBreak);
      try {
        // BEGIN is not waited for: it goes out in one write with the transaction's first
        // statement (pipelining), which PostgreSQL runs after it, so a transaction costs one round
        // trip and one system call less. (BEGIN fails only with its connection, and then so does
        // everything after it.)
        holdWritesUntilNextTick(client);
        const begun = client.query('BEGIN');
        begun.catch(() => {});
        let committed = false;
        const open = () => {
          if (committed) throw new Error('The transaction has committed: nothing more can run in it');
        };
        const tx: Transaction = {
          query: async <Row>(sql: string, params: readonly unknown[] = []) => {
            open();
            return (await client.query(statement(sql, params))).rows as Row[];
          },
          exec: async (sql: string) => {
            open();
            await client.query(sql);
          },
          queryThenCommit: async <Row>(sql: string, params: readonly unknown[] = []) => {
            open();
            committed = true;
            holdWritesUntilNextTick(client);
            const last = client.query(statement(sql, params));
            const commit = client.query('COMMIT');
            commit.catch(() => {});
            // Should the statement fail, PostgreSQL answers the COMMIT behind it with ROLLBACK.
            const { rows } = await last;
            const { command } = await commit;
            if (command !== 'COMMIT') throw new Error(`The transaction ended in ${command}`);
            return rows as Row[];
          },
        };
        const result = await work(tx);
        await begun;
        if (!committed) await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', noteBreak);
        // A broken connection is closed, not handed to the next caller.
        client.release(broken);
      }
    },
    close: () => {
      // Idempotent: a server and the code that handed it the database may both close it.
      closed ??= pool.end();
      return closed;
    },
  };
}

/**
 * Holds the connection's writes back until the code running now has made its queries, so that
 * they leave in a single system call (pg corks each query's messages only while it writes them).
 */
function holdWritesUntilNextTick(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } })
    .connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  stream.cork();
  process.nextTick(() => stream.uncork?.());
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}
