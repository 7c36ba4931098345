import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword } from '../../testing/auth-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const LIMITS = {
  address: { failures: 8, windowSeconds: 900 },
  account: { failures: 3, windowSeconds: 900 },
  device: { failures: 3, windowSeconds: 900 },
};
const PASSWORD = 'the real password';
let server: TestServer;
let acme: Portal;

before(async () => {
  server = await startTestServer({ loginLimits: LIMITS, config: { trustProxy: true } });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
});
after(() => server.close());

/** A client behind its own address (the test server trusts X-Forwarded-For). */
function clientAt(ip: string, binding?: { user_os_mark: string; user_account: string }) {
  const desktop = new TestDesktop(server, 'acme.localhost', binding);
  desktop.extraHeaders = { 'x-forwarded-for': ip };
  return desktop;
}

test('guessing one account is stopped, while its owner still signs in from their own clients', async () => {
  await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'A', email: 'ann@acme.test' }, PASSWORD);
  const ownBrowser = clientAt('10.0.0.1');
  assert.equal((await ownBrowser.signIn('ann@acme.test', PASSWORD)).status, 200);
  const ownDesktop = clientAt('10.0.0.1', { user_os_mark: 'pc', user_account: 'ann' });
  const renewed = await ownDesktop.signIn('ann@acme.test', PASSWORD, { renew_password: 'y' });
  assert.ok(renewed.body.success && renewed.body.appPassword);
  const appPassword = renewed.body.appPassword;

  // A botnet: every guess from another address.
  for (let i = 0; i < LIMITS.account.failures; i++) {
    const guess = await clientAt(`203.0.113.${i}`).signIn('ann@acme.test', `guess ${i}`);
    assert.equal(guess.status, 401);
  }
  const blocked = await clientAt('203.0.113.200').signIn('ANN@acme.test', PASSWORD);
  assert.equal(blocked.status, 429, 'even the right password from a new client waits');
  assert.deepEqual(blocked.body, { success: false, code: 'too_many_attempts' });
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);

  assert.equal((await ownBrowser.signIn('ann@acme.test', PASSWORD)).status, 200, 'the device cookie lets the owner in');
  assert.equal(
    (await clientAt('10.0.0.1', { user_os_mark: 'pc', user_account: 'ann' }).signIn('ann@acme.test', appPassword))
      .status,
    200,
    'the desktop with its app password is not locked out',
  );
});

test('a blocked unknown login looks exactly like a blocked real one', async () => {
  for (let i = 0; i < LIMITS.account.failures; i++) {
    await clientAt(`198.51.100.${i}`).signIn('ghost@acme.test', `guess ${i}`);
  }
  const blocked = await clientAt('198.51.100.200').signIn('ghost@acme.test', 'another');
  assert.equal(blocked.status, 429);
  assert.deepEqual(blocked.body, { success: false, code: 'too_many_attempts' });
});

test('failures count against the person, whichever of their logins was typed', async () => {
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Alice', lastName: 'A', email: 'alice@acme.test', username: 'alice', phone: '+14155550101' },
    PASSWORD,
  );
  await createUserWithPassword(server, acme.id, { firstName: 'Dan', lastName: 'D', username: 'dan' }, PASSWORD);
  const aliases = ['alice@acme.test', 'alice', '+14155550101'];
  // Spread over her three logins and over several addresses, desktops among them (a guessed app
  // password is a guess like any other): no one login reaches the limit on its own.
  for (let i = 0; i < LIMITS.account.failures; i++) {
    const binding = i % 2 ? { user_os_mark: `pc-${i}`, user_account: 'x' } : undefined;
    const guess = await clientAt(`203.0.113.${100 + i}`, binding).signIn(aliases[i % aliases.length]!, `guess ${i}`);
    assert.equal(guess.status, 401);
  }
  const ghost = clientAt('203.0.113.150');
  for (let i = 0; i < LIMITS.account.failures; i++) await ghost.signIn('nobody@acme.test', `guess ${i}`);
  const ghostBlocked = await ghost.signIn('nobody@acme.test', 'another');
  for (const alias of aliases) {
    const blocked = await clientAt('203.0.113.151').signIn(alias, PASSWORD);
    assert.equal(blocked.status, 429, `${alias}: even the right password waits`);
    assert.deepEqual(blocked.body, ghostBlocked.body, `${alias} is blocked exactly like a login of nobody`);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  }
  assert.equal((await clientAt('203.0.113.152').signIn('dan', PASSWORD)).status, 200, 'another user is unaffected');
});

test('one address spraying many accounts is stopped; known clients behind it are not', async () => {
  await createUserWithPassword(server, acme.id, { firstName: 'Bo', lastName: 'B', username: 'bo' }, PASSWORD);
  const colleague = clientAt('192.0.2.7');
  assert.equal((await colleague.signIn('bo', PASSWORD)).status, 200);
  for (let i = 0; i < LIMITS.address.failures; i++) {
    assert.equal((await clientAt('192.0.2.7').signIn(`user${i}`, 'guess')).status, 401);
  }
  assert.equal((await clientAt('192.0.2.7').signIn('someone-else', 'guess')).status, 429);
  assert.equal((await clientAt('192.0.2.7').signIn('bo', PASSWORD)).status, 429, 'a new client at that address waits');
  assert.equal((await colleague.signIn('bo', PASSWORD)).status, 200, 'a known client at the same address does not');
});

test('a stolen device cookie does not allow unlimited guessing either', async () => {
  await createUserWithPassword(server, acme.id, { firstName: 'Cy', lastName: 'C', username: 'cy' }, PASSWORD);
  const device = clientAt('192.0.2.50');
  assert.equal((await device.signIn('cy', PASSWORD)).status, 200);
  for (let i = 0; i < LIMITS.device.failures; i++) assert.equal((await device.signIn('cy', `guess ${i}`)).status, 401);
  assert.equal((await device.signIn('cy', PASSWORD)).status, 429);
});

// Sharing counters needs a Redis server; the suite runs this when CI provides one (REDIS_URL).
const redisUrl = process.env.REDIS_URL;
if (redisUrl)
  test('with Redis, failures counted by one process block the guesser at another (REDIS_URL)', async () => {
    // One deployment of two processes: the same Redis namespace.
    const redisNamespace = `shared_${randomBytes(4).toString('hex')}`;
    const second = await startTestServer({
      loginLimits: LIMITS,
      config: { trustProxy: true, redisUrl, redisNamespace },
    });
    const first = await startTestServer({
      loginLimits: LIMITS,
      config: { trustProxy: true, redisUrl, redisNamespace },
    });
    try {
      // Redis outlives test runs; a login of its own keeps this run's counts apart.
      const login = `shared-${randomBytes(6).toString('hex')}`;
      for (const one of [first, second]) await one.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
      const at = (one: TestServer) => {
        const desktop = new TestDesktop(one, 'acme.localhost');
        desktop.extraHeaders = { 'x-forwarded-for': `100.64.${randomBytes(1)[0]}.${randomBytes(1)[0]}` };
        return desktop;
      };
      for (let i = 0; i < LIMITS.account.failures; i++)
        assert.equal((await at(first).signIn(login, 'guess')).status, 401);
      assert.equal((await at(second).signIn(login, 'guess')).status, 429);
    } finally {
      await first.close();
      await second.close();
    }
  });
