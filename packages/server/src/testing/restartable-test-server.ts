import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { type KeptTestData, startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';

/**
 * A test server that can be stopped and started again on the same port with the same data: a
 * server outage as clients see it (connections refused, then the same portals, users, sessions
 * and stored realtime events back). The data is the embedded database in a directory of its own,
 * or a schema of its own on PostgreSQL when `DATABASE_URL` is set; `close()` removes it.
 */
export interface RestartableTestServer {
  /** The running server; a new one after each `start()`. */
  readonly current: TestServer;
  readonly port: number;
  /** Stops listening and closes the database, keeping its data. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  start(): Promise<TestServer>;
  /** Stops (if running) and removes the data. */
  close(): Promise<void>;
}

export async function startRestartableTestServer(
  options: Omit<TestServerOptions, 'keptData'> = {},
): Promise<RestartableTestServer> {
  const kept: KeptTestData = {
    pgliteDir: mkdtempSync(join(tmpdir(), 'portaldesk-kept-db-')),
    postgresSchema: `t_${process.pid}_${randomBytes(4).toString('hex')}`,
  };
  let current: TestServer | undefined = await startTestServer({ ...options, keptData: kept });
  const port = current.port;
  const handle: RestartableTestServer = {
    get current() {
      if (!current) throw new Error('the test server is stopped');
      return current;
    },
    port,
    async stop() {
      await current?.close();
      current = undefined;
    },
    async start() {
      current ??= await startTestServer({ ...options, config: { ...options.config, port }, keptData: kept });
      return current;
    },
    async close() {
      await handle.stop();
      rmSync(kept.pgliteDir, { recursive: true, force: true });
      const databaseUrl = process.env.DATABASE_URL;
      if (databaseUrl) {
        const admin = await openPostgresDatabase({ connectionString: databaseUrl, maxConnections: 1 });
        await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(kept.postgresSchema)} CASCADE`);
        await admin.close();
      }
    },
  };
  return handle;
}
