import { join } from 'node:path';
import type { Database } from './database.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

export interface StorageConfig {
  /** A PostgreSQL server; when absent, the embedded engine in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; null keeps it in memory (tests). */
  dataDir: string | null;
  schema?: string | undefined;
}

export function openDatabase(config: StorageConfig): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgresDatabase({ connectionString: config.databaseUrl, schema: config.schema });
  }
  return openPgliteDatabase(config.dataDir === null ? null : join(config.dataDir, 'pglite'));
}
