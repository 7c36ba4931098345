import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded engine keeps its pages in memory and writes them back on its own schedule, so a
 * second process opening the same directory reads a stale copy and silently overwrites the
 * first one's writes (checked: two processes each see only their own rows). One process at a
 * time holds the directory; the lock file names it, and a lock left by a dead process is taken over.
 */
export class DataDirectoryInUseError extends Error {
  readonly code = 'DATA_DIRECTORY_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Portaldesk process (pid ${pid}). ` +
        'Stop that process first, or run Portaldesk on PostgreSQL (DATABASE_URL) to share the data between processes. ' +
        `If no such process is running, delete ${join(dataDir, LOCK_FILE)}.`,
    );
  }
}

export interface DataDirectoryLock {
  release(): void;
}

const LOCK_FILE = 'portaldesk.lock';

export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(path);
      // Our own pid in the file is a leftover of an earlier run (containers reuse low pids).
      if (holder !== null && holder !== process.pid && isAlive(holder))
        throw new DataDirectoryInUseError(dataDir, holder);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

function lockHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
