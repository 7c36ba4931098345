import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { runEvery } from '../clock/run-every.ts';
import type { Database } from './database.ts';
import { quoteIdentifier } from './postgres-database.ts';

/**
 * How often the embedded database is vacuumed and analysed. The engine runs one statement at a
 * time, so a run holds up requests while it works on a table (measured: about 1 s in all for
 * 30,000 messages, 84 MB); twice an hour keeps that rare and the statistics fresh.
 */
export const EMBEDDED_VACUUM_EVERY_MS = 30 * 60 * 1000;

/**
 * What autovacuum does for a PostgreSQL server, for the embedded engine: PGlite runs PostgreSQL in
 * single-user mode, where autovacuum never runs. Without it, the row versions that the messenger's
 * per-message updates leave (chat heads, unread counters, event sequences) stay in the indexes;
 * transaction ids are never frozen, and PostgreSQL stops taking writes as it nears wraparound;
 * and tables are never analysed. Analysing also retires the prepared statements' plans, which
 * were often made on a near-empty database: the next run plans for the tables' real size.
 */
export class EmbeddedVacuum {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  /** One table at a time, so that requests waiting for the engine get in between tables. */
  async runOnce(): Promise<void> {
    const started = performance.now();
    const tables = await this.db.query<{ schema: string; name: string }>(
      'SELECT schemaname AS schema, relname AS name FROM pg_stat_user_tables ORDER BY relname',
    );
    let slowest = { table: '', ms: 0 };
    for (const { schema, name } of tables) {
      const tableStarted = performance.now();
      await this.db.exec(`VACUUM (ANALYZE) ${quoteIdentifier(schema)}.${quoteIdentifier(name)}`);
      const ms = performance.now() - tableStarted;
      if (ms > slowest.ms) slowest = { table: name, ms: Math.round(ms) };
    }
    this.logger.info(
      { ms: Math.round(performance.now() - started), tables: tables.length, slowest },
      'embedded database vacuumed and analysed',
    );
  }

  /** Runs every `everyMs` until the returned function is called; a failed run is logged and retried next time. */
  start(everyMs = EMBEDDED_VACUUM_EVERY_MS): () => void {
    return runEvery(
      everyMs,
      () => this.runOnce(),
      (error) => this.logger.warn({ err: error }, 'embedded database: vacuum failed'),
    );
  }
}
