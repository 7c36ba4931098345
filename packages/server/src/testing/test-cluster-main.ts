/**
 * Runs the test run's managed PostgreSQL cluster (started by `scripts/run-tests.mjs`): creates it
 * in a temporary directory with a migrated template database, prints its connection as one JSON
 * line, and stops it and removes the directory when standard input closes (the run ended) or on
 * Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { ManagedCluster } from '../storage/managed-postgres/managed-cluster.ts';
import { migrate } from '../storage/migrate.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { TEMPLATE_DATABASE, TEST_CLUSTER_SETTINGS } from './test-cluster.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-test-cluster-'));
const cluster = await ManagedCluster.start({
  dataDir,
  logger: pino({ level: 'warn' }, process.stderr),
  settings: TEST_CLUSTER_SETTINGS,
});
const admin = new pg.Client({ ...cluster.connection, database: 'postgres' });
await admin.connect();
await admin.query(`CREATE DATABASE ${quoteIdentifier(TEMPLATE_DATABASE)}`);
await admin.end();
const template = await openPostgresDatabase({ connection: { ...cluster.connection, database: TEMPLATE_DATABASE } });
await migrate(template);
await template.close();

process.stdout.write(`${JSON.stringify(cluster.connection)}\n`);
const stop = async () => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.resume();
process.stdin.on('end', stop);
// Ctrl-C reaches this process too, but not the cluster (a process group of its own): stop it.
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
