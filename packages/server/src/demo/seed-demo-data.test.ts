import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DESKTOP_LOGIN_PATH } from '@portaldesk/protocol';
import pino from 'pino';
import { startServer } from '../app/start-server.ts';
import { totpCode } from '../auth/two-factor/totp.ts';
import { manualClock, systemClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import { PortalStore } from '../portals/portal-store.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { createTestStorage } from '../testing/test-storage.ts';
import { demoBanner } from './demo-banner.ts';
import { DEMO_PASSWORD, DEMO_PORTALS, DEMO_TOTP_SECRET } from './demo-data.ts';
import { seedDemoData } from './seed-demo-data.ts';

// Each test gets an empty database of its own: a data directory, or a PostgreSQL schema.
const databaseUrl = process.env.DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function emptyStorage(): Promise<{ dataDir: string; schema?: string; url?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-demo-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!databaseUrl) return { dataDir };
  const schema = `demo_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = await openPostgresDatabase({ connectionString: databaseUrl, maxConnections: 1 });
    await admin.query(sql);
    await admin.close();
  };
  // Made up front: a server given only the URL (its search_path) does not create it.
  await run(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  cleanups.push(() => run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { dataDir, schema, url: url.toString() };
}

/** Opens and migrates what the server would open on that storage. */
async function openFresh(storage: { dataDir: string; schema?: string }): Promise<Database> {
  const db = await openDatabase({ databaseUrl, dataDir: storage.dataDir, schema: storage.schema });
  await migrate(db);
  return db;
}

/** An empty, migrated database of the test's own, where the server's own start-up is not the point. */
async function freshTestDatabase(): Promise<Database> {
  const storage = await createTestStorage();
  cleanups.push(() => storage.drop());
  const db = await storage.open();
  await migrate(db);
  return db;
}

async function snapshot(db: Database) {
  return {
    portals: await db.query('SELECT id, domain, name, default_country FROM portals ORDER BY id'),
    users: await db.query('SELECT id, portal_id, email, phone, username, is_admin FROM users ORDER BY id'),
  };
}

const DEMO_USER_COUNT = DEMO_PORTALS.reduce((n, p) => n + p.users.length, 0);

test('the first start seeds the demo portals; the next start adds nothing', async () => {
  const storage = await emptyStorage();
  const config = {
    ...loadConfig({ PORT: '0', PORTALDESK_DEMO: 'true', PORTALDESK_DATA: storage.dataDir }),
    databaseUrl,
  };
  const start = () => startServer({ config, logger: pino({ level: 'silent' }), schema: storage.schema });

  const first = await start();
  const seeded = await snapshot(first.context.db);
  const signIn = (login: string, extra: Record<string, string> = {}) =>
    localhostFetch(`http://acme.localhost:${first.port}${DESKTOP_LOGIN_PATH}`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'login', login, password: DEMO_PASSWORD, json: 'y', ...extra }),
    });
  const alice = await signIn('alice');
  const bobWithoutCode = await signIn('bob@example.com');
  const bob = await signIn('bob@example.com', { otp: totpCode(DEMO_TOTP_SECRET, new Date()) });
  const unknown = await localhostFetch(`http://initech.localhost:${first.port}/rest/server.time`);
  await first.close();
  assert.equal(alice.status, 200, 'the demo password signs Alice in by her user name');
  assert.equal(bobWithoutCode.status, 401);
  assert.equal(((await bobWithoutCode.json()) as { needOtp?: boolean }).needOtp, true, 'Bob has two-factor on');
  assert.equal(bob.status, 200, "the demo secret's current code completes Bob's sign-in");
  assert.equal(unknown.status, 404);
  assert.deepEqual(
    seeded.portals.map((p) => p.domain),
    ['acme.localhost', 'globex.localhost'],
  );
  assert.equal(seeded.users.length, DEMO_USER_COUNT);
  const carols = seeded.users.filter((u) => u.email === 'carol@example.com');
  assert.equal(new Set(carols.map((u) => u.portal_id)).size, 2, 'one person in both portals, same e-mail');

  const second = await start();
  const again = await snapshot(second.context.db);
  await second.close();
  assert.deepEqual(again, seeded);
});

test('a database that already has a portal is never seeded', async () => {
  const db = await freshTestDatabase();
  try {
    await new PortalStore(db).create({ domain: 'real.example.com', name: 'Real' });
    assert.equal(await seedDemoData(db, systemClock), false);
    const { portals, users } = await snapshot(db);
    assert.deepEqual(
      portals.map((p) => p.domain),
      ['real.example.com'],
    );
    assert.equal(users.length, 0);
  } finally {
    await db.close();
  }
});

// Two processes share one database only on a PostgreSQL server; a cluster the server runs in its
// data directory refuses a second process outright, so there the race cannot happen.
if (databaseUrl) {
  test('two processes starting at once seed the demo data once', async () => {
    const storage = await emptyStorage();
    const a = await openFresh(storage);
    const b = await openFresh(storage);
    try {
      const results = await Promise.all([seedDemoData(a, systemClock), seedDemoData(b, systemClock)]);
      assert.deepEqual(results.sort(), [false, true]);
      const { portals, users } = await snapshot(a);
      assert.equal(portals.length, 2);
      assert.equal(users.length, DEMO_USER_COUNT);
    } finally {
      await a.close();
      await b.close();
    }
  });
}

/** RFC 6238 by hand (HMAC-SHA1, 30 s steps, 6 digits), independent of the TOTP library. */
function rfc6238Code(base32Secret: string, at: Date): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...base32Secret].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test("the banner lists the addresses, the accounts and Bob's current one-time code", async () => {
  const db = await freshTestDatabase();
  try {
    const portals = new PortalStore(db);
    const options = { portals, origin: (d: string) => `http://${d}:3000`, now: new Date(), qrCode: false };
    assert.equal(await demoBanner(options), null, 'nothing to show before the demo is seeded');
    await seedDemoData(db, systemClock);
    const now = manualClock(new Date('2026-11-24T12:00:00Z')).now();
    const banner = (await demoBanner({ ...options, now })) ?? '';
    assert.match(banner, /password: portaldesk-demo/);
    assert.match(banner, /Acme Corporation {2}http:\/\/acme\.localhost:3000/);
    assert.match(banner, /Globex {2}http:\/\/globex\.localhost:3000/);
    for (const user of DEMO_PORTALS.flatMap((p) => p.users)) assert.match(banner, new RegExp(user.email));
    assert.match(
      banner,
      new RegExp(`bob@example\\.com +Bob Smith; .*one-time code now: ${rfc6238Code(DEMO_TOTP_SECRET, now)}`),
    );
    assert.match(banner, new RegExp(DEMO_TOTP_SECRET));
  } finally {
    await db.close();
  }
});

test('`npm run server` on an empty database prints the demo accounts and serves the demo portals', async () => {
  const storage = await emptyStorage();
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const env = { ...process.env, PORT: '0', PORTALDESK_DATA: storage.dataDir, DATABASE_URL: storage.url };
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const found =
          /frieda@example\.com.*\n[\s\S]*http:\/\/acme\.localhost:(\d+)|http:\/\/acme\.localhost:(\d+)[\s\S]*frieda@example\.com/.exec(
            output,
          );
        if (found) resolve(Number(found[1] ?? found[2]));
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    assert.match(output, /Every account's password: portaldesk-demo/);
    assert.match(output, /one-time code now: \d{6}/);
    assert.match(output, /Network {2}http:\/\/network\.localhost:\d+\n +carol@example\.com/);
    const res = await localhostFetch(`http://globex.localhost:${port}/rest/server.time`);
    assert.equal(res.status, 401, 'globex.localhost is a portal: it asks for authorisation');
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, 'stops cleanly on SIGTERM');
    }
  }
});
