// The server as a library: what a program needs to run a portal server in its own process
// (configuration, logging, storage, start-up). Everything else under src/ is the server's own.
export * from './app/start-server.ts';
export * from './clock/clock.ts';
export * from './config/config.ts';
export * from './http/logger.ts';
export * from './storage/database.ts';
export * from './storage/migrate.ts';
export * from './storage/open-database.ts';
