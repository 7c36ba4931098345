import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { CLUSTER_SUPERUSER, type ClusterDirectory, readPassword } from './cluster-directory.ts';
import { DataDirectoryInUseError } from './data-directory-in-use-error.ts';

/**
 * The setting each managed cluster is started with that names the server process running it:
 * how a later server tells a cluster left behind by a killed server (take it over) from one a
 * live server runs (refuse). PostgreSQL's own `postmaster.pid` lock keeps two clusters off one
 * directory; it cannot say whose the running one is.
 */
export const OWNER_SETTING = 'portaldesk.owner_pid';

const STOP_WAIT_MS = 60_000;

/**
 * Before a cluster is started on `dir`: if one already runs there, refuses when a live server
 * owns it, and otherwise (its server was killed, so nothing else will ever stop it) shuts it down.
 */
export async function clearLeftoverPostmaster(dir: ClusterDirectory, logger: Logger): Promise<void> {
  const running = readPostmasterPid(dir);
  if (running === null || !isAlive(running.pid)) return;
  const owner = await ownerOf(dir, running);
  // Unknown: PostgreSQL's own lock decides when the cluster is started.
  if (owner === null) return;
  if (isAlive(owner)) throw new DataDirectoryInUseError(dir.dataDir, owner);
  logger.warn(
    { postgresPid: running.pid, ownerPid: owner },
    'database: a cluster left running by a server that ended is shut down before starting again',
  );
  process.kill(running.pid, 'SIGINT');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isAlive(running.pid)) {
    if (Date.now() > deadline) process.kill(running.pid, 'SIGQUIT');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface PostmasterPid {
  pid: number;
  port: number;
  socketDir: string;
  listenAddress: string;
}

/** `postmaster.pid`: pid, data directory, start time, port, socket directory, listen address, … */
function readPostmasterPid(dir: ClusterDirectory): PostmasterPid | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dir.pgdata, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]), socketDir: lines[4] ?? '', listenAddress: lines[5] ?? '' };
}

/** The owner's pid as the running cluster reports it; null when it cannot be asked. */
async function ownerOf(dir: ClusterDirectory, running: PostmasterPid): Promise<number | null> {
  const host = running.socketDir || (running.listenAddress === '*' ? '127.0.0.1' : running.listenAddress);
  if (!host || !running.port) return null;
  const client = new pg.Client({
    host,
    port: running.port,
    user: CLUSTER_SUPERUSER,
    password: readPassword(dir),
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    const rows = await client.query<{ owner: string }>(`SELECT current_setting('${OWNER_SETTING}', true) AS owner`);
    const owner = Number(rows.rows[0]?.owner);
    return Number.isInteger(owner) && owner > 0 ? owner : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
