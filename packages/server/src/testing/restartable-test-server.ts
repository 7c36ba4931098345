import { type KeptTestData, startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';
import { createTestStorage, testStorageName } from './test-storage.ts';

/**
 * A test server that can be stopped and started again on the same port with the same data: a
 * server outage as clients see it (connections refused, then the same portals, users, sessions
 * and stored realtime events back). The data is a test database of its own (`createTestStorage`)
 * that outlives each run; `close()` removes it.
 */
export interface RestartableTestServer {
  /** The running server; a new one after each `start()`. */
  readonly current: TestServer;
  readonly port: number;
  /** Stops listening and closes the database, keeping its data. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  start(): Promise<TestServer>;
  /** Stops (if running) and removes the data. */
  close(): Promise<void>;
}

export async function startRestartableTestServer(
  options: Omit<TestServerOptions, 'keptData'> = {},
): Promise<RestartableTestServer> {
  const kept: KeptTestData = { name: testStorageName() };
  let current: TestServer | undefined = await startTestServer({ ...options, keptData: kept });
  const port = current.port;
  const handle: RestartableTestServer = {
    get current() {
      if (!current) throw new Error('the test server is stopped');
      return current;
    },
    port,
    async stop() {
      await current?.close();
      current = undefined;
    },
    async start() {
      current ??= await startTestServer({ ...options, config: { ...options.config, port }, keptData: kept });
      return current;
    },
    async close() {
      await handle.stop();
      await (await createTestStorage({ name: kept.name })).drop();
    },
  };
  return handle;
}
