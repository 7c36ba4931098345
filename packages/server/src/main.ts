import { ConfigError, loadConfig } from './config/config.ts';
import { createLogger } from './http/logger.ts';
import type { Database } from './storage/database.ts';
import { ClusterError } from './storage/managed-postgres/cluster-error.ts';
import { openDatabase } from './storage/open-database.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // The database cluster starts (a process of its own, mostly waiting on the disk) while this
  // process loads the rest of the server's code: a later start is the longer of the two, not
  // their sum.
  const opening = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    postgresOsUser: config.postgresOsUser,
    logger,
  });
  const loading = Promise.all([import('./app/start-server.ts'), import('./demo/demo-banner.ts')]);
  // Awaited below unless the database failed first, whose error is the one to report.
  loading.catch(() => {});
  const start = async () => {
    let db: Database | undefined;
    try {
      db = await opening;
      const [{ startServer }, { demoBanner }] = await loading;
      return { server: await startServer({ config, logger, db }), demoBanner };
    } catch (error) {
      await db?.close().catch(() => {});
      throw error;
    }
  };
  const { server, demoBanner } = await start().catch((error: unknown) => {
    // The start-up failures a person can fix themselves get a sentence, not a stack trace.
    if (error instanceof ClusterError) console.error(error.message);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${config.port} is in use by another program: stop it, or set PORT to another port`);
    } else throw error;
    process.exit(1);
  });
  logger.info({ url: server.url }, 'Portaldesk server listening');
  if (config.demo) {
    const scheme = config.tls ? 'https' : 'http';
    const banner = await demoBanner({
      portals: server.context.portals,
      origin: (domain) => `${scheme}://${domain}:${server.port}`,
      now: server.context.clock.now(),
      qrCode: process.stdout.isTTY === true,
      ...(config.roles.has('network') && config.roles.has('portal')
        ? { networkUrl: server.context.network.issuer.url }
        : {}),
    });
    if (banner) process.stdout.write(banner);
  }
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
