import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { manualClock } from '../clock/clock.ts';
import type { Portal } from '../portals/portal.ts';
import { QrSignInTestBed } from '../testing/qr-sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { QrSignInPurge } from './qr-sign-in-purge.ts';

const HOUR = 60 * 60 * 1000;
const clock = manualClock(new Date('2026-03-01T00:00:00Z'));
let server: TestServer;
let bed: QrSignInTestBed;
let acme: Portal;

before(async () => {
  server = await startTestServer({ clock, config: { trustProxy: true } });
  bed = new QrSignInTestBed(server);
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
});
after(() => server.close());

async function counts() {
  const [row] = await server.context.db.query<{ attempts: number; audit: number }>(
    `SELECT (SELECT count(*) FROM qr_sign_in_attempts)::int AS attempts,
            (SELECT count(*) FROM qr_sign_in_audit)::int AS audit`,
  );
  return row ?? { attempts: -1, audit: -1 };
}

async function attemptExists(id: string): Promise<boolean> {
  const rows = await server.context.db.query('SELECT 1 FROM qr_sign_in_attempts WHERE portal_id = $1 AND id = $2', [
    acme.id,
    id,
  ]);
  return rows.length === 1;
}

test('attempts go a day after they began; their audit trail stays for a year', async () => {
  const old = await bed.desktop();
  await old.cancel();
  await old.close();
  await bed.serverStopsFollowing(old.attemptId);
  clock.advance(20 * HOUR);
  const recent = await bed.desktop();
  await recent.close();
  await bed.serverStopsFollowing(recent.attemptId);
  const purge = server.context.qrSignInPurge;

  clock.advance(5 * HOUR);
  assert.deepEqual(await purge.purgeOnce(), { attempts: 1, auditEntries: 0 });
  assert.equal(await attemptExists(old.attemptId), false, 'the old attempt is gone');
  assert.equal(await attemptExists(recent.attemptId), true, 'a recent one stays');
  const trail = await server.context.qrSignInAudit.steps(acme.id, old.attemptId);
  assert.deepEqual(
    trail.map((entry) => entry.step),
    ['created', 'failed'],
    'what happened is still on record',
  );

  clock.advance(365 * 24 * HOUR);
  const { attempts, auditEntries } = await purge.purgeOnce();
  assert.equal(attempts, 1);
  assert.ok(auditEntries >= 3, 'a year on, the audit entries go too');
  assert.deepEqual(await counts(), { attempts: 0, audit: 0 });
  assert.deepEqual(await purge.purgeOnce(), { attempts: 0, auditEntries: 0 }, 'nothing left to purge');
});

test('the purge runs by itself on its timer until stopped', async () => {
  const desktop = await bed.desktop();
  await desktop.close();
  await bed.serverStopsFollowing(desktop.attemptId);
  clock.advance(25 * HOUR);
  const purge = new QrSignInPurge(server.context.db, clock, server.context.logger);
  const stop = purge.start(20);
  try {
    const deadline = Date.now() + 5_000;
    while (await attemptExists(desktop.attemptId)) {
      assert.ok(Date.now() < deadline, 'purged within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    stop();
  }
});
