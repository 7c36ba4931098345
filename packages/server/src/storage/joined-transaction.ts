import type { Database, Queryable } from './database.ts';

/**
 * An open transaction seen as a Database: everything done through it, including its own
 * `transaction` calls, joins the caller's transaction and commits or rolls back with it. Lets a
 * service written against Database take part in a larger unit of work (the demo seed).
 */
export function joinedTransaction(tx: Queryable): Database {
  return {
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    // The caller's transaction commits, later: its "last" statement only runs.
    transaction: (work) =>
      work({
        query: (sql, params) => tx.query(sql, params),
        exec: (sql) => tx.exec(sql),
        queryThenCommit: (sql, params) => tx.query(sql, params),
      }),
    close: async () => {},
  };
}
