import type { ClusterConnection } from '../storage/managed-postgres/managed-cluster.ts';

/**
 * The test run's one managed PostgreSQL cluster, as `scripts/run-tests.mjs` starts it
 * (`test-cluster-main.ts`) and hands it to every test process in this variable, as JSON.
 */
export const TEST_CLUSTER_ENV = 'PORTALDESK_TEST_CLUSTER';

/** A database on the test cluster with every migration applied; each test database is a copy. */
export const TEMPLATE_DATABASE = 'portaldesk_template';

/** Settings of the test cluster beyond the server's: many test servers, each with a pool, run at once. */
export const TEST_CLUSTER_SETTINGS = { max_connections: '300' } as const;

export function testCluster(): ClusterConnection {
  const json = process.env[TEST_CLUSTER_ENV];
  if (!json) {
    throw new Error(
      `No test database: run tests with node scripts/run-tests.mjs (it starts the test cluster and sets ${TEST_CLUSTER_ENV}), or set DATABASE_URL`,
    );
  }
  return JSON.parse(json) as ClusterConnection;
}

/** A URL for `database` on the cluster, for a child process (the admin command, a second server). */
export function clusterUrl(cluster: ClusterConnection, database: string): string {
  const url = new URL(`postgres://localhost/${database}`);
  url.username = cluster.user;
  url.password = cluster.password;
  if (cluster.host.startsWith('/')) {
    url.port = String(cluster.port);
    url.searchParams.set('host', cluster.host);
  } else {
    url.hostname = cluster.host;
    url.port = String(cluster.port);
  }
  return url.toString();
}
