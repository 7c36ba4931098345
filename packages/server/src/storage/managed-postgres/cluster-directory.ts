import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ClusterError } from './cluster-error.ts';
import type { ClusterOsUser } from './cluster-os-user.ts';
import type { PostgresBinaries } from './postgres-binaries.ts';

/** The database user the server connects as; the cluster's superuser. */
export const CLUSTER_SUPERUSER = 'portaldesk';

/** Where a managed cluster keeps its files inside PORTALDESK_DATA. */
export interface ClusterDirectory {
  /** The data directory as given (absolute). */
  dataDir: string;
  /** PostgreSQL's own data directory (PGDATA); also holds the socket. */
  pgdata: string;
  /** The superuser's password, readable only by the server's user. */
  passwordFile: string;
}

export class ClusterInitError extends ClusterError {
  readonly code = 'CLUSTER_INIT_FAILED';
}

export function clusterDirectory(dataDir: string): ClusterDirectory {
  const absolute = resolve(dataDir);
  return {
    dataDir: absolute,
    pgdata: join(absolute, 'postgres'),
    passwordFile: join(absolute, 'postgres-password'),
  };
}

export function isInitialized(dir: ClusterDirectory): boolean {
  return existsSync(join(dir.pgdata, 'PG_VERSION'));
}

export function readPassword(dir: ClusterDirectory): string {
  try {
    return readFileSync(dir.passwordFile, 'utf8').trim();
  } catch (error) {
    throw new ClusterInitError(
      `The database in ${dir.pgdata} exists but its password file ${dir.passwordFile} cannot be read: ${(error as Error).message}`,
    );
  }
}

/**
 * Creates the cluster with a random superuser password (kept in a file only the server's user
 * can read) and checksums on. The password is handed to initdb in a file of a private temporary
 * directory, because under a different OS user initdb cannot read the server's pipes or files.
 */
export async function initializeCluster(
  dir: ClusterDirectory,
  binaries: PostgresBinaries,
  osUser: ClusterOsUser,
): Promise<void> {
  mkdirSync(dir.dataDir, { recursive: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(dir.passwordFile, `${password}\n`, { mode: 0o600 });
  const scratch = mkdtempSync(join(tmpdir(), 'portaldesk-initdb-'));
  const pwfile = join(scratch, 'password');
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (osUser) {
    assertReachable(dir.dataDir, osUser);
    // The cluster's user must pass through the data directory to reach its own folder in it;
    // search permission (not read) lets it do so without listing the server's other files.
    chmodSync(dir.dataDir, statSync(dir.dataDir).mode | 0o001);
    chownSync(scratch, osUser.uid, osUser.gid);
    chownSync(pwfile, osUser.uid, osUser.gid);
    mkdirSync(dir.pgdata, { mode: 0o700 });
    chownSync(dir.pgdata, osUser.uid, osUser.gid);
  }
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${dir.pgdata}`,
        `--username=${CLUSTER_SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--data-checksums',
        '--no-instructions',
      ],
      osUser,
      scratch,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every folder above the data directory must let the cluster's user pass (search permission). */
function assertReachable(dataDir: string, osUser: NonNullable<ClusterOsUser>): void {
  for (let folder = dirname(dataDir); ; folder = dirname(folder)) {
    const { mode, uid, gid } = statSync(folder);
    const searchable = uid === osUser.uid ? mode & 0o100 : gid === osUser.gid ? mode & 0o010 : mode & 0o001;
    if (!searchable) {
      throw new ClusterInitError(
        `The database runs as the system user "${osUser.name}", who cannot enter ${folder}: ` +
          'put PORTALDESK_DATA where that user can reach it (e.g. /var/lib/portaldesk), or start Portaldesk as a normal user.',
      );
    }
    if (dirname(folder) === folder) return;
  }
}

function run(program: string, args: string[], osUser: ClusterOsUser, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...(osUser ? { uid: osUser.uid, gid: osUser.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new ClusterInitError(`initdb failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`),
        );
    });
  });
}
