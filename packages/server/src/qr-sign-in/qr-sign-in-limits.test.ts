import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createDesktopKeys, QR_SIGN_IN_BASE_PATH, randomSecret, sha256Base64Url } from '@portaldesk/protocol';
import type { Portal } from '../portals/portal.ts';
import { QrSignInTestBed, scan, TEST_DEVICE } from '../testing/qr-sign-in-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { DEFAULT_QR_LIMITS, type QrLimitSettings } from './qr-sign-in-rate-limits.ts';

/** The defaults, lowered where a test would otherwise need many users or many scans. */
const LIMITS: QrLimitSettings = {
  ...DEFAULT_QR_LIMITS,
  scanPerUser: { points: 4, windowSeconds: 300 },
  scanPerAddress: { points: 6, windowSeconds: 300 },
  confirmPerAddress: { points: 5, windowSeconds: 300 },
};

let server: TestServer;
let bed: QrSignInTestBed;
let acme: Portal;

before(async () => {
  server = await startTestServer({ config: { trustProxy: true }, qrLimits: LIMITS });
  bed = new QrSignInTestBed(server);
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
});
after(() => server.close());

async function attemptCount(): Promise<number> {
  const [row] = await server.context.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM qr_sign_in_attempts',
  );
  return row?.count ?? 0;
}

async function createFrom(ip: string) {
  const keys = await createDesktopKeys();
  const res = await bed.fetchFrom(ip)(`${server.portalUrl('acme.localhost')}${QR_SIGN_IN_BASE_PATH}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      publicKey: keys.publicKey,
      secretHash: await sha256Base64Url(randomSecret()),
      ...TEST_DEVICE,
    }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { error?: string },
  };
}

test('a burst of attempts from one address stops at the limit; other addresses are not affected', async () => {
  const before = await attemptCount();
  const burst = DEFAULT_QR_LIMITS.createPerAddress.points + 10;
  const answers = await Promise.all(Array.from({ length: burst }, () => createFrom('203.0.113.7')));
  const created = answers.filter((a) => a.status === 200).length;
  const refused = answers.filter((a) => a.status === 429);
  assert.equal(created, DEFAULT_QR_LIMITS.createPerAddress.points);
  assert.equal(refused.length, 10);
  for (const answer of refused) {
    assert.equal(answer.body.error, 'QUERY_LIMIT_EXCEEDED');
    assert.ok(Number(answer.retryAfter) > 0);
  }
  assert.equal(await attemptCount(), before + created, 'a refused request creates nothing');
  assert.equal((await createFrom('203.0.113.8')).status, 200);
});

test('a burst of scans is limited per user and per address, genuine codes included', async () => {
  const desktop = await bed.desktop();
  const { phone } = await bed.userWithPhone(acme.id);
  const junk = `${server.portalUrl('acme.localhost')}/m/qr-sign-in#p=1.x.y.z.w&k=abc`;
  const answers = await Promise.all(Array.from({ length: 8 }, () => scan(phone, junk)));
  assert.equal(answers.filter((a) => a.body.error === 'QR_CODE_INVALID').length, LIMITS.scanPerUser.points);
  assert.equal(answers.filter((a) => a.status === 429).length, 8 - LIMITS.scanPerUser.points);
  assert.equal((await scan(phone, desktop.code.qrUrl)).status, 429, 'the limit holds for a real code too');
  assert.equal((await desktop.state()).state, 'waiting_for_scan');

  // Two more users behind the same address share its allowance.
  const { phone: second } = await bed.userWithPhone(acme.id);
  const { phone: third } = await bed.userWithPhone(acme.id);
  second.extraHeaders['x-forwarded-for'] = '192.0.2.50';
  third.extraHeaders['x-forwarded-for'] = '192.0.2.50';
  const shared = await Promise.all([
    ...Array.from({ length: 4 }, () => scan(second, junk)),
    ...Array.from({ length: 4 }, () => scan(third, junk)),
  ]);
  assert.equal(shared.filter((a) => a.status === 429).length, 8 - LIMITS.scanPerAddress.points);
  await desktop.close();
});

test('check-code guesses from one address across attempts are limited too', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const ip = bed.nextAddress();
  const outcomes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const desktop = await bed.desktop('acme.localhost', ip);
    assert.equal((await scan(phone, desktop.code.qrUrl)).status, 200);
    for (const code of ['000001', '000002']) {
      outcomes.push(
        await desktop.confirm(code).then(
          () => 200,
          (error: { status: number }) => error.status,
        ),
      );
    }
    await desktop.close();
  }
  assert.deepEqual(outcomes, [200, 200, 200, 200, 200, 429]);
});

// Sharing counters needs a Redis server; the suite runs this when CI provides one (REDIS_URL).
const redisUrl = process.env.REDIS_URL;
if (redisUrl)
  test('with Redis, attempts created at one server count at the other (REDIS_URL)', async () => {
    // One deployment of two processes: the same Redis namespace.
    const redisNamespace = `shared_${randomBytes(4).toString('hex')}`;
    const limits = { ...LIMITS, createPerAddress: { points: 4, windowSeconds: 300 } };
    const servers = [
      await startTestServer({ config: { trustProxy: true, redisUrl, redisNamespace }, qrLimits: limits }),
      await startTestServer({ config: { trustProxy: true, redisUrl, redisNamespace }, qrLimits: limits }),
    ];
    try {
      // Redis outlives test runs; an address of this run's own keeps its counts apart.
      const ip = `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const server = servers[i % 2] as TestServer;
        await server.context.portals.create({ domain: `p${i}.localhost`, name: 'P' });
        const keys = await createDesktopKeys();
        const res = await server.fetch(`${server.portalUrl(`p${i}.localhost`)}${QR_SIGN_IN_BASE_PATH}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ publicKey: keys.publicKey, secretHash: keys.publicKey, ...TEST_DEVICE }),
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    } finally {
      for (const server of servers) await server.close();
    }
  });
