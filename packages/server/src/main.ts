import { startServer } from './app/start-server.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { demoBanner } from './demo/demo-banner.ts';
import { createLogger } from './http/logger.ts';
import { ClusterError } from './storage/managed-postgres/cluster-error.ts';

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
  const server = await startServer({ config, logger }).catch((error: unknown) => {
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
