import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { type AppContext, createAppContext } from '../app/app-context.ts';
import { systemClock } from '../clock/clock.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { createTestStorage, type TestStorage } from './test-storage.ts';

const BIN = fileURLToPath(new URL('../../bin/portaldesk.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real `portaldesk` bin run as a child process against a database of its own (a test
 * storage, given to it as DATABASE_URL) and a data directory of its own. Between runs, a test
 * can look into the same database.
 */
export class AdminCliFixture {
  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string | undefined>,
    private readonly storage: TestStorage,
  ) {}

  static async create(): Promise<AdminCliFixture> {
    const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-cli-'));
    const storage = await createTestStorage();
    return new AdminCliFixture(
      dataDir,
      { ...process.env, DATABASE_URL: storage.url, PORTALDESK_DATA: dataDir },
      storage,
    );
  }

  /** Runs the bin; `env` adds to or (with undefined) removes from the fixture's environment. */
  run(args: string[], input = '', env: Record<string, string | undefined> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: withoutUndefined({ ...this.env, ...env }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
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

  /** Opens the same database the CLI writes. */
  async withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = await this.storage.open();
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
    await this.storage.drop();
  }
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
