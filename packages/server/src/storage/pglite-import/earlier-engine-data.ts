import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClusterError } from '../managed-postgres/cluster-error.ts';

/** Where the earlier embedded engine (PGlite, up to this release) kept its data in PORTALDESK_DATA. */
export const EARLIER_ENGINE_FOLDER = 'pglite';

/** The admin command that moves that data into the server's own cluster. */
export const IMPORT_COMMAND = 'portaldesk storage import-pglite';

/** The earlier engine's data folder in `dataDir`, when there is one not yet imported. */
export function earlierEngineData(dataDir: string): string | null {
  const folder = join(resolve(dataDir), EARLIER_ENGINE_FOLDER);
  return existsSync(join(folder, 'PG_VERSION')) ? folder : null;
}

/**
 * The data directory holds data of the earlier engine. The server does not start on it (it would
 * start with an empty database beside the user's data) until that data is moved over.
 */
export class EarlierEngineDataError extends ClusterError {
  readonly code = 'EARLIER_ENGINE_DATA';
  constructor(readonly folder: string) {
    super(
      `${folder} holds data written by Portaldesk's earlier embedded database (PGlite), which this version no longer runs. ` +
        `Move it into the new database with \`${IMPORT_COMMAND}\` (from a checkout: npm run admin -- storage import-pglite), then start the server again.`,
    );
  }
}
