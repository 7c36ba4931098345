import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgresDatabase, quoteIdentifier } from '@portaldesk/server/testing';

export type Backend = 'managed' | 'postgres';

export interface BenchServer {
  backend: Backend;
  port: number;
  /** `Host` header value for a demo portal. */
  host(domain: string): string;
  /**
   * CPU seconds the server process has used so far (Linux). Per request, this is the figure that
   * holds when other programs share the machine, unlike requests per second.
   */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  backend: Backend;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfileDir?: string | undefined;
}

const MAIN = fileURLToPath(new URL('../packages/server/src/main.ts', import.meta.url));
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The real server (`npm run server`), started fresh in its own process with the demo data, as a
 * user would run it: default settings (LOG_LEVEL and the rest can be overridden from the
 * environment), logs to a file rather than to the bench's own pipe.
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const workDir = mkdtempSync(join(tmpdir(), 'portaldesk-bench-'));
  const logFile = join(workDir, 'server.log');
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    PORTALDESK_DEMO: 'true',
    PORTALDESK_DATA: join(workDir, 'data'),
    DATABASE_URL: undefined,
  };
  let dropSchema = async () => {};
  if (options.backend === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    const schema = `bench_${process.pid}_${Date.now()}`;
    const run = async (sql: string) => {
      const admin = await openPostgresDatabase({ connectionString: base, maxConnections: 1 });
      await admin.query(sql);
      await admin.close();
    };
    await run(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    dropSchema = () => run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', MAIN], { env, stdio: ['ignore', log, log] });
  const port = await waitForPort(child, logFile);
  return {
    backend: options.backend,
    port,
    host: (domain) => `${domain}:${port}`,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await dropSchema();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The demo banner names the port once the server listens. */
async function waitForPort(child: ChildProcess, logFile: string): Promise<number> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited:\n${readFileSync(logFile, 'utf8')}`);
    const found = /http:\/\/acme\.localhost:(\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (found) return Number(found[1]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('The server did not start within 3 minutes');
}

/** utime + stime from /proc/<pid>/stat, in seconds (clock ticks are 1/100 s on Linux). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export function backendsOf(choice: string): Backend[] {
  if (choice === 'both') return ['managed', 'postgres'];
  if (choice === 'managed' || choice === 'postgres') return [choice];
  throw new Error(`--backend must be managed, postgres or both, not ${choice}`);
}

export const BACKEND_LABEL: Record<Backend, string> = {
  managed: 'managed PostgreSQL (the default)',
  postgres: 'PostgreSQL',
};
