import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CSRF_HEADER } from '@portaldesk/protocol';
import type { Response } from 'undici';
import { DEFAULT_LOGIN_LIMITS } from '../../auth/login/login-rate-limits.ts';
import { newTotpSecret, totpCode } from '../../auth/two-factor/totp.ts';
import { manualClock } from '../../clock/clock.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { CookieJar, createProfile, logsContainAny, networkUrl } from '../testing/network-fixtures.ts';

const clock = manualClock(new Date());
let server: TestServer;
const PASSWORD = 'a long and secret passphrase';
let totpSecret: string;
/** Lower than the default so that the test stays short; the rule is the same. */
const ADDRESS_LIMIT = 20;

before(async () => {
  // Behind a trusted proxy the client address comes from X-Forwarded-For, so that one test
  // process can speak from several addresses.
  server = await startTestServer({
    clock,
    config: { trustProxy: true },
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, address: { failures: ADDRESS_LIMIT, windowSeconds: 900 } },
  });
  await createProfile(server, { email: 'bob@example.com', password: PASSWORD, displayName: 'Bob' });
  await createProfile(server, { phone: '+14155550123', password: PASSWORD, displayName: 'Phone Person' });
  await createProfile(server, { email: 'dora@example.com', phone: '+14155550177', password: PASSWORD });
  const carol = await createProfile(server, { email: 'carol@example.com', password: PASSWORD });
  totpSecret = newTotpSecret();
  await server.context.network.profiles.setTotpSecret(carol.id, totpSecret);
});
after(() => server.close());

function signIn(body: Record<string, string>, ip = '203.0.113.1', jar?: CookieJar): Promise<Response> {
  return server
    .fetch(`${networkUrl(server)}/network/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, cookie: jar?.header() ?? '' },
      body: JSON.stringify(body),
    })
    .then((res) => {
      jar?.take(res);
      return res;
    });
}

test('an unknown login and a wrong password get the same answer', async () => {
  const unknown = await signIn({ login: 'nobody@example.com', password: PASSWORD }, '203.0.113.10');
  const wrong = await signIn({ login: 'bob@example.com', password: 'not it' }, '203.0.113.10');
  assert.equal(unknown.status, 401);
  assert.equal(wrong.status, 401);
  assert.deepEqual(await unknown.json(), await wrong.json());
});

test('signing in by e-mail or phone sets an HttpOnly session cookie and returns the sessid', async () => {
  const jar = new CookieJar();
  const res = await signIn({ login: ' Bob@Example.com ', password: PASSWORD }, '203.0.113.2', jar);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { success: boolean; sessid: string; profileId: string };
  assert.equal(body.success, true);
  assert.match(res.headers.get('set-cookie') ?? '', /PDN_SESSID=[^;]+;.*HttpOnly/i);
  assert.match(res.headers.get('set-cookie') ?? '', /SameSite=Lax/i);

  const byPhone = await signIn({ login: '(415) 555-0123', password: PASSWORD }, '203.0.113.2');
  assert.equal(byPhone.status, 200);

  const get = await server.fetch(`${networkUrl(server)}/rest/network.profile.get.json`, {
    headers: { cookie: jar.header() },
  });
  assert.equal(((await get.json()) as { result: { displayName: string } }).result.displayName, 'Bob');
});

test('a session call that changes data needs the sessid; sign-out needs it too and ends the session', async () => {
  const jar = new CookieJar();
  const { sessid } = (await (
    await signIn({ login: 'bob@example.com', password: PASSWORD }, '203.0.113.3', jar)
  ).json()) as {
    sessid: string;
  };
  const unlink = await server.fetch(`${networkUrl(server)}/rest/network.portal.unlink.json`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ PORTAL_ID: 'portal_x' }),
  });
  assert.equal(unlink.status, 403);
  assert.equal(((await unlink.json()) as { error: string }).error, 'INVALID_CSRF');

  // The CSRF header (how the shared REST client sends it) proves intent as `sessid` does.
  const unlinkWith = async (token: string) => {
    const res = await server.fetch(`${networkUrl(server)}/rest/network.portal.unlink.json`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/json', [CSRF_HEADER]: token },
      body: JSON.stringify({ PORTAL_ID: 'portal_x' }),
    });
    return ((await res.json()) as { error?: string }).error;
  };
  assert.equal(await unlinkWith('guess'), 'INVALID_CSRF');
  assert.notEqual(await unlinkWith(sessid), 'INVALID_CSRF');

  const forged = await server.fetch(`${networkUrl(server)}/network/logout/`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ sessid: 'guess' }),
  });
  assert.equal(forged.status, 403);
  const logout = await server.fetch(`${networkUrl(server)}/network/logout/`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ sessid }),
  });
  assert.equal(logout.status, 200);
  const cookieAfter = jar.header();
  const get = await server.fetch(`${networkUrl(server)}/rest/network.profile.get.json`, {
    headers: { cookie: cookieAfter },
  });
  assert.equal(get.status, 401);
});

test("the Network's own page learns its session's sessid; without a session it gets NO_AUTH_FOUND", async () => {
  const none = await server.fetch(`${networkUrl(server)}/network/session/`);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { error: string }).error, 'NO_AUTH_FOUND');
  const jar = new CookieJar();
  const signedIn = (await (
    await signIn({ login: 'bob@example.com', password: PASSWORD }, '203.0.113.4', jar)
  ).json()) as { sessid: string; profileId: string };
  const res = await server.fetch(`${networkUrl(server)}/network/session/`, { headers: { cookie: jar.header() } });
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { success: true, profileId: signedIn.profileId, sessid: signedIn.sessid });
});

test('sign-in refuses a form post, so another site cannot sign a browser in', async () => {
  const res = await server.fetch(`${networkUrl(server)}/network/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: 'bob@example.com', password: PASSWORD }).toString(),
  });
  assert.equal(res.status, 415);
});

test('a stranger guessing from elsewhere is blocked, while the owner still signs in from home', async () => {
  const stranger = '198.51.100.7';
  let last: Response | undefined;
  for (let i = 0; i < 10; i++) last = await signIn({ login: 'bob@example.com', password: `guess ${i}` }, stranger);
  assert.equal(last?.status, 401);
  const blocked = await signIn({ login: 'bob@example.com', password: PASSWORD }, stranger);
  assert.equal(blocked.status, 429, 'even the right password is refused to the blocked address');
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  const owner = await signIn({ login: 'bob@example.com', password: PASSWORD }, '192.0.2.44');
  assert.equal(owner.status, 200);
  // An unknown login is limited in the same way, so the limit does not reveal which logins exist.
  const another = '198.51.100.8';
  for (let i = 0; i < 10; i++) await signIn({ login: 'ghost@example.com', password: `guess ${i}` }, another);
  assert.equal((await signIn({ login: 'ghost@example.com', password: 'x' }, another)).status, 429);
});

test('failures count against the person: guesses spread over their e-mail and phone block both', async () => {
  const stranger = '198.51.100.20';
  const logins = ['dora@example.com', '+14155550177'];
  const limit = DEFAULT_LOGIN_LIMITS.account.failures;
  for (let i = 0; i < limit; i++) {
    assert.equal((await signIn({ login: logins[i % 2]!, password: `guess ${i}` }, stranger)).status, 401);
  }
  for (const login of logins) {
    const blocked = await signIn({ login, password: PASSWORD }, stranger);
    assert.equal(blocked.status, 429, `${login}: even the right password waits`);
  }
  assert.equal((await signIn({ login: '+14155550177', password: PASSWORD }, '192.0.2.45')).status, 200, 'the owner');
  assert.equal((await signIn({ login: 'bob@example.com', password: PASSWORD }, stranger)).status, 200, 'another one');
});

test('many failures from one address block that address for every login', async () => {
  const noisy = '198.51.100.99';
  for (let i = 0; i < ADDRESS_LIMIT; i++) await signIn({ login: `user${i}@example.com`, password: 'x' }, noisy);
  assert.equal((await signIn({ login: 'bob@example.com', password: PASSWORD }, noisy)).status, 429);
});

test('with TOTP the password alone asks for a code; a wrong or replayed code is refused', async () => {
  const ip = '203.0.113.50';
  const first = await signIn({ login: 'carol@example.com', password: PASSWORD }, ip);
  assert.equal(first.status, 401);
  assert.deepEqual(await first.json(), { success: false, needOtp: true });
  const wrongPassword = await signIn({ login: 'carol@example.com', password: 'nope', otp: '000000' }, ip);
  assert.deepEqual(await wrongPassword.json(), { success: false });

  const code = totpCode(totpSecret, clock.now());
  const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const bad = await signIn({ login: 'carol@example.com', password: PASSWORD, otp: wrongCode }, ip);
  assert.deepEqual(await bad.json(), { success: false, needOtp: true });

  const good = await signIn({ login: 'carol@example.com', password: PASSWORD, otp: code }, ip);
  assert.equal(good.status, 200);
  const replay = await signIn({ login: 'carol@example.com', password: PASSWORD, otp: code }, ip);
  assert.equal(replay.status, 401, 'the same code cannot be used twice');

  clock.advance(30_000);
  const next = await signIn(
    { login: 'carol@example.com', password: PASSWORD, otp: totpCode(totpSecret, clock.now()) },
    ip,
  );
  assert.equal(next.status, 200);
});

test('no password reaches the logs', () => {
  assert.deepEqual(logsContainAny(server, [PASSWORD, totpSecret]), []);
});
