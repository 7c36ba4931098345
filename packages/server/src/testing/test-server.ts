import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RequestInit, Response } from 'undici';
import { type RunningServer, startServer } from '../app/start-server.ts';
import type { LoginLimitSettings } from '../auth/login/login-rate-limits.ts';
import type { Clock } from '../clock/clock.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { createLogger } from '../http/logger.ts';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import type { QrLimitSettings } from '../qr-sign-in/qr-sign-in-rate-limits.ts';
import { createTestStorage } from './test-storage.ts';

export interface TestServer extends RunningServer {
  /** Every log line the server wrote, parsed; for asserting that no secret is logged. */
  logs: string[];
  /** `http://<domain>:<port>` for a portal's host name. */
  portalUrl(domain: string): string;
  /** fetch that resolves `*.localhost` to this machine. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

export interface TestServerOptions {
  clock?: Clock;
  config?: Partial<Config>;
  loginLimits?: LoginLimitSettings;
  qrLimits?: QrLimitSettings;
  /**
   * Data that outlives this server, for a test that stops the server and starts it again (see
   * `createTestStorage`). Kept on close; whoever passes it removes it.
   */
  keptData?: KeptTestData;
}

/** Where a restartable test server keeps its data between runs: the name of its test storage. */
export interface KeptTestData {
  name: string;
}

/**
 * A real server on a free port with a fresh database of its own (`createTestStorage`): a copy
 * of the migrated template on the test run's managed cluster, or, when `DATABASE_URL` is set, a
 * schema of its own in that PostgreSQL database; dropped on close. This is how the whole suite
 * runs on both.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const kept = options.keptData;
  const storage = await createTestStorage(kept ? { name: kept.name } : {});
  // File bodies of this server alone (a restartable server's too are dropped only with the server).
  const filesDir = await mkdtemp(join(tmpdir(), 'portaldesk-test-files-'));
  const base = loadConfig({ PORT: '0', PORTALDESK_DEMO: 'false', LOG_LEVEL: 'info' });
  const config: Config = {
    ...base,
    dataDir: '',
    files: { ...base.files, dir: filesDir },
    databaseUrl: process.env.DATABASE_URL,
    // Test servers share one Redis: each counts its rate limits and carries its deliveries apart.
    redisNamespace: storage.name,
    ...options.config,
  };
  const server = await startServer({
    config,
    logger: createLogger('info', sink),
    db: await storage.open(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
    ...(options.qrLimits ? { qrLimits: options.qrLimits } : {}),
  });
  return {
    ...server,
    logs,
    portalUrl: (domain) => `${config.tls ? 'https' : 'http'}://${domain}:${server.port}`,
    fetch: localhostFetch,
    async close() {
      await server.close();
      if (!kept) await storage.drop();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}
