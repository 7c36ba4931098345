import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ClusterError } from './cluster-error.ts';
import type { ClusterOsUser } from './cluster-os-user.ts';

/** How the server reaches the cluster: a socket directory, or the loopback address, and a port. */
export interface ClusterAddress {
  host: string;
  port: number;
}

export interface PostmasterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `postgres` server process the server started. */
export interface Postmaster {
  readonly pid: number;
  /** Resolves when the process has ended, for whatever reason. */
  readonly exited: Promise<PostmasterExit>;
  /** Its latest log lines, to say what happened when it fails. */
  recentLog(): string[];
  /** Fast shutdown (rolls back open transactions, checkpoints), then immediate after `graceMs`. */
  stop(graceMs?: number): Promise<PostmasterExit>;
}

export interface PostmasterOptions {
  postgres: string;
  pgdata: string;
  address: ClusterAddress;
  osUser: ClusterOsUser;
  /** Extra settings (`-c name=value`). */
  settings: Readonly<Record<string, string>>;
  onLogLine(line: string): void;
}

const RECENT_LINES = 30;

export class PostmasterStartError extends ClusterError {
  readonly code = 'POSTMASTER_START_FAILED';
  constructor(
    message: string,
    readonly log: string[],
  ) {
    super(message);
  }
}

/**
 * Starts `postgres` on `pgdata` and resolves once it accepts connections. Its log is English
 * (`lc_messages=C`) so that readiness can be read from it. It runs in its own process group, so
 * that a Ctrl-C in the terminal reaches only the server, which then stops it in order.
 */
export function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const { address } = options;
  const onSocket = address.host.startsWith('/');
  const settings: Record<string, string> = {
    listen_addresses: onSocket ? '' : address.host,
    unix_socket_directories: onSocket ? address.host : '',
    unix_socket_permissions: '0700',
    lc_messages: 'C',
    ...options.settings,
  };
  const args = ['-D', options.pgdata, '-p', String(address.port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const child = spawn(options.postgres, args, {
    cwd: options.pgdata,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
    ...(options.osUser ? { uid: options.osUser.uid, gid: options.osUser.gid } : {}),
  });
  const recent: string[] = [];
  const exited = new Promise<PostmasterExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(new PostmasterStartError(`postgres could not be run: ${error.message}`, recent)),
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        recent.push(line);
        if (recent.length > RECENT_LINES) recent.shift();
        options.onLogLine(line);
        if (line.includes('database system is ready to accept connections')) resolve(postmaster(child, exited, recent));
      });
    }
    void exited.then(({ code, signal }) =>
      reject(new PostmasterStartError(`postgres ended while starting (exit ${code ?? signal})`, recent)),
    );
  });
}

function postmaster(child: ChildProcess, exited: Promise<PostmasterExit>, recent: string[]): Postmaster {
  const pid = child.pid ?? 0;
  return {
    pid,
    exited,
    recentLog: () => [...recent],
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const immediate = setTimeout(() => child.kill('SIGQUIT'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(immediate);
      }
    },
  };
}
