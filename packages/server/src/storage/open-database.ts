import pg from 'pg';
import pino, { type Logger } from 'pino';
import type { Database } from './database.ts';
import { ManagedCluster } from './managed-postgres/managed-cluster.ts';
import { EarlierEngineDataError, earlierEngineData } from './pglite-import/earlier-engine-data.ts';
import { openPostgresDatabase, quoteIdentifier } from './postgres-database.ts';

export interface StorageConfig {
  /** A PostgreSQL server; when absent, the server runs its own cluster in `dataDir`. */
  databaseUrl?: string | undefined;
  /** PORTALDESK_DATA. */
  dataDir: string;
  schema?: string | undefined;
  /** The system user a cluster started by root runs as (PORTALDESK_POSTGRES_USER). */
  postgresOsUser?: string | undefined;
  logger?: Logger;
  /** Open the cluster even beside the earlier engine's data (the command that imports it). */
  besideEarlierEngineData?: boolean;
}

/** The database the server's data lives in, inside its managed cluster. */
export const MANAGED_DATABASE = 'portaldesk';

export async function openDatabase(config: StorageConfig): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgresDatabase({ connectionString: config.databaseUrl, schema: config.schema });
  }
  const earlier = earlierEngineData(config.dataDir);
  if (earlier && !config.besideEarlierEngineData) throw new EarlierEngineDataError(earlier);
  return openManagedDatabase(config.dataDir, config.logger ?? pino({ level: 'silent' }), config.postgresOsUser);
}

/** Starts the cluster in `dataDir` (creating it on first use) and opens its database; close stops it. */
async function openManagedDatabase(dataDir: string, logger: Logger, osUser: string | undefined): Promise<Database> {
  const cluster = await ManagedCluster.start({ dataDir, logger, ...(osUser ? { osUser } : {}) });
  try {
    await ensureDatabase(cluster, MANAGED_DATABASE);
    const db = await openPostgresDatabase({ connection: { ...cluster.connection, database: MANAGED_DATABASE } });
    let closed: Promise<void> | undefined;
    const close = async () => {
      try {
        await db.close();
      } finally {
        await cluster.stop();
      }
    };
    return { ...db, close: () => (closed ??= close()) };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

async function ensureDatabase(cluster: ManagedCluster, name: string): Promise<void> {
  const client = new pg.Client({ ...cluster.connection, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
