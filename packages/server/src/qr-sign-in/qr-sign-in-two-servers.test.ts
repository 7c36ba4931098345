import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { type QrPhoneView, QrSignInDesktopClient } from '@portaldesk/protocol';
import { type RunningServer, startServer } from '../app/start-server.ts';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../http/logger.ts';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { QrSignInTestBed, scan, TEST_DEVICE } from '../testing/qr-sign-in-fixtures.ts';
import type { TestServer } from '../testing/test-server.ts';

/**
 * Two server processes behind one load balancer share only the database: the desktop follows
 * its events on one, the phone scans and approves on the other. Only PostgreSQL can be shared
 * between processes (a managed cluster belongs to one), so this file runs when DATABASE_URL is set.
 */
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const schema = `t_qr2_${process.pid}_${randomBytes(4).toString('hex')}`;
  const servers: RunningServer[] = [];
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

  const asTestServer = (server: RunningServer): TestServer => ({
    ...server,
    logs: [],
    portalUrl: (domain) => `http://${domain}:${server.port}`,
    fetch: localhostFetch,
  });

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const config = {
        ...loadConfig({ PORT: '0', PORTALDESK_DEMO: 'false', LOG_LEVEL: 'info' }),
        dataDir: '',
        databaseUrl,
        trustProxy: true,
      };
      const db = await openPostgresDatabase({ connectionString: databaseUrl, schema });
      servers.push(await startServer({ config, logger: createLogger('info', silent), db }));
    }
  });

  after(async () => {
    for (const server of servers) await server.close();
    const admin = await openPostgresDatabase({ connectionString: databaseUrl, maxConnections: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await admin.close();
  });

  test('a desktop on one server is signed in by a phone on another', async () => {
    const [first, second] = servers.map(asTestServer) as [TestServer, TestServer];
    const portal = await first.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
    const phoneBed = new QrSignInTestBed(second);
    const { phone, user } = await phoneBed.userWithPhone(portal.id);

    const desktopBed = new QrSignInTestBed(first);
    const desktop = await QrSignInDesktopClient.start(
      first.portalUrl('acme.localhost'),
      TEST_DEVICE,
      desktopBed.fetchFrom(desktopBed.nextAddress()),
    );
    try {
      desktop.listen();
      await desktop.next(['waiting_for_scan']);
      // The pointer signed by the first server is verified by the second: they share the key.
      const link = desktop.code.qrUrl.replace(`:${first.port}`, `:${second.port}`);
      const scanned = await scan(phone, link);
      assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
      const view = scanned.body.result as QrPhoneView;
      assert.equal((await desktop.next(['scanned'])).state, 'scanned', 'the first server notices');
      await desktop.confirm(view.checkCode ?? '');
      assert.equal((await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId })).status, 200);
      const signedIn = await desktop.redeem(await desktop.next(['approved']));
      assert.equal(signedIn.userId, user.id);
    } finally {
      await desktop.close();
    }
  });
}
