import { ClusterError } from './cluster-error.ts';
/** A second server (or admin command) on a data directory whose cluster another process runs. */
export class DataDirectoryInUseError extends ClusterError {
  readonly code = 'DATA_DIRECTORY_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The database in ${dataDir} is in use by another Portaldesk process (pid ${pid}). ` +
        'Stop that process first, or run Portaldesk on PostgreSQL (DATABASE_URL) to share the data between processes.',
    );
  }
}
