/**
 * The one storage interface: PostgreSQL, either the cluster the server runs itself in its data
 * directory or a PostgreSQL server named by DATABASE_URL. Everything above this file writes SQL.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** An open transaction. */
export interface Transaction extends Queryable {
  /**
   * Runs the transaction's last statement and commits, both written at once: one round trip to
   * the database instead of two. Resolves with the statement's rows once the commit is durable;
   * nothing may be queried through the transaction after it. (Within a transaction joined to a
   * larger one, only runs the statement: the larger one commits.)
   */
  queryThenCommit<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
