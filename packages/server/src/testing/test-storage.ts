import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../storage/database.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { clusterUrl, TEMPLATE_DATABASE, testCluster } from './test-cluster.ts';

/**
 * A database of a test's own. On the test run's managed cluster it is a database copied from the
 * migrated template (CREATE DATABASE … TEMPLATE: tens of milliseconds, no migrations to run); on
 * a PostgreSQL server given by DATABASE_URL it is a schema of its own in that database.
 */
export interface TestStorage {
  /** Its name: the database's, or the schema's. */
  readonly name: string;
  /** A DATABASE_URL that reaches it, for a child process (the admin command, a second server). */
  readonly url: string;
  open(options?: { maxConnections?: number }): Promise<Database>;
  /** Removes it and everything in it. */
  drop(): Promise<void>;
}

export interface TestStorageOptions {
  /** Reuse this one if it exists (a test server started again on its data). */
  name?: string;
  /** No tables at all, not even the migrations' (a test of the migrations themselves). */
  empty?: boolean;
}

export function testStorageName(): string {
  return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createTestStorage(options: TestStorageOptions = {}): Promise<TestStorage> {
  const name = options.name ?? testStorageName();
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl ? schemaStorage(databaseUrl, name) : clusterStorage(name, options.empty === true);
}

async function schemaStorage(databaseUrl: string, name: string): Promise<TestStorage> {
  const run = async (sql: string) => {
    const admin = await openPostgresDatabase({ connectionString: databaseUrl, maxConnections: 1 });
    try {
      await admin.query(sql);
    } finally {
      await admin.close();
    }
  };
  await run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(name)}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    open: (opts = {}) => openPostgresDatabase({ connectionString: databaseUrl, schema: name, ...opts }),
    drop: () => run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(name)} CASCADE`),
  };
}

async function clusterStorage(name: string, empty: boolean): Promise<TestStorage> {
  const cluster = testCluster();
  const run = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const admin = new pg.Client({ ...cluster, database: 'postgres' });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.end();
    }
  };
  await run(async (admin) => {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    const template = empty ? 'template0' : TEMPLATE_DATABASE;
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
  });
  return {
    name,
    url: clusterUrl(cluster, name),
    open: (opts = {}) => openPostgresDatabase({ connection: { ...cluster, database: name }, ...opts }),
    drop: () =>
      run(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
