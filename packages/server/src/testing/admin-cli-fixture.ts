import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { type AppContext, createAppContext } from '../app/app-context.ts';
import { systemClock } from '../clock/clock.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';

const BIN = fileURLToPath(new URL('../../bin/portaldesk.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real `portaldesk` bin run as a child process against a database of its own: a fresh data
 * directory (embedded), or, when DATABASE_URL is set, a PostgreSQL schema of its own, named in
 * the URL the CLI is given. Between runs, a test can look into the same database.
 */
export class AdminCliFixture {
  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string | undefined>,
    private readonly dropSchema: (() => Promise<void>) | null,
  ) {}

  static async create(): Promise<AdminCliFixture> {
    const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-cli-'));
    const baseUrl = process.env.DATABASE_URL;
    if (!baseUrl)
      return new AdminCliFixture(dataDir, { ...process.env, DATABASE_URL: undefined, PORTALDESK_DATA: dataDir }, null);
    const schema = `cli_${process.pid}_${randomBytes(4).toString('hex')}`;
    const run = async (sql: string) => {
      const admin = await openPostgresDatabase({ connectionString: baseUrl, maxConnections: 1 });
      await admin.query(sql);
      await admin.close();
    };
    await run(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const drop = () => run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    return new AdminCliFixture(dataDir, { ...process.env, DATABASE_URL: url.toString() }, drop);
  }

  run(args: string[], input = ''): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  /** Opens the same database the CLI writes (the embedded one only while no CLI runs). */
  async withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase({ databaseUrl: this.env.DATABASE_URL, dataDir: this.dataDir });
    try {
      await migrate(db);
      return await work(db);
    } finally {
      await db.close();
    }
  }

  /** The server's own services on that database, to arrange what a running server would have. */
  withContext<T>(work: (context: AppContext) => Promise<T>): Promise<T> {
    return this.withDatabase((db) =>
      work(createAppContext({ db, clock: systemClock, logger: pino({ level: 'silent' }) })),
    );
  }

  async close(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    await this.dropSchema?.();
  }
}
