import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LoginLimitSettings } from '../auth/login/login-rate-limits.ts';
import { type Clock, systemClock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import { seedDemoData } from '../demo/seed-demo-data.ts';
import { seedDemoNetwork } from '../demo/seed-demo-network.ts';
import { createServer } from '../http/create-server.ts';
import type { QrLimitSettings } from '../qr-sign-in/qr-sign-in-rate-limits.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';
import { ModuleLifecycle } from './module-lifecycle.ts';
import { type AppContext, createServerModules } from './server-modules.ts';

export interface RunningServer {
  app: FastifyInstance;
  context: AppContext;
  /** `http://127.0.0.1:3000` — the bound address, whatever host names the portals use. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** An already opened database (tests); otherwise one is opened from the config. */
  db?: Database;
  /** Postgres schema to use, for tests that share one database. */
  schema?: string;
  /** Failed sign-ins allowed (tests lower them). */
  loginLimits?: LoginLimitSettings;
  /** QR sign-in requests allowed (tests lower them). */
  qrLimits?: QrLimitSettings;
}

/** Opens storage, migrates it, builds the HTTP server and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const db =
    options.db ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      schema: options.schema,
      postgresOsUser: config.postgresOsUser,
      logger,
    }));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const clock = options.clock ?? systemClock;
  if (config.demo && (await seedDemoData(db, clock))) logger.info('demo portals seeded');
  const { context, modules } = createServerModules({
    db,
    clock,
    logger,
    redisUrl: config.redisUrl,
    redisNamespace: config.redisNamespace,
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
    sendRateLimit: config.sendRateLimit,
    network: config.network,
    ...(options.qrLimits ? { qrLimits: options.qrLimits } : {}),
    files: { ...config.files, dir: config.files.dir ?? join(config.dataDir, 'files') },
  });
  const app = await createServer(
    { logger, portalResolver: context.portalResolver, routes: modules.flatMap((module) => module.routes ?? []) },
    config,
  );
  await app.listen({ port: config.port, host: config.host });
  const lifecycle = new ModuleLifecycle(modules);
  try {
    await lifecycle.start();
  } catch (error) {
    await app.close();
    await lifecycle.stop();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const scheme = config.tls ? 'https' : 'http';
  context.network.issuer.bindDerived(scheme, config.network.domain, port);
  if (config.demo && config.roles.has('portal') && config.roles.has('network')) {
    await seedDemoNetwork(context, (domain) => `${scheme}://${domain}:${port}`);
  }
  return {
    app,
    context,
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    async close() {
      await app.close();
      await lifecycle.stop();
      await db.close();
    },
  };
}
