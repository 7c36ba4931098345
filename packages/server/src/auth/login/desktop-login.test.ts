import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword, leakedSecrets } from '../../testing/auth-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const PASSWORD = 'correct horse battery staple';
let server: TestServer;
let acme: Portal;
const secretsSeen: string[] = [PASSWORD];

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme', defaultCountry: 'US' });
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.test', phone: '+14155552671', username: 'ann' },
    PASSWORD,
  );
});
after(async () => {
  // Whatever the tests sent or received, no password, token or cookie reached the logs.
  assert.deepEqual(leakedSecrets(server, secretsSeen), []);
  await server.close();
});

async function signInOk(login: string, password = PASSWORD) {
  const desktop = new TestDesktop(server, 'acme.localhost');
  const { status, body, setCookies } = await desktop.signIn(login, password);
  assert.equal(status, 200, `sign-in as ${JSON.stringify(login)}`);
  assert.ok(body.success);
  secretsSeen.push(
    body.sessionId,
    body.bitrixSessionId,
    ...setCookies.map((c) => c.split(';')[0]?.split('=')[1] ?? ''),
  );
  return { desktop, body, setCookies };
}

test('signs in by e-mail whatever its case and surrounding spaces', async () => {
  for (const login of ['ann@acme.test', '  ANN@Acme.Test  ']) {
    const { body, desktop } = await signInOk(login);
    assert.ok(body.success);
    assert.equal(typeof body.desktopRevision, 'number');
    assert.match(body.bitrixSessionId, /^[0-9a-f]{32}$/);
    assert.equal(body.appPassword, undefined, 'no app password without two-factor or renew_password');
    const list = await desktop.rest('portaldesk.session.list');
    assert.equal(list.status, 200);
    assert.equal((list.body.result as { current: boolean }[]).filter((s) => s.current).length, 1);
  }
});

test('signs in by phone number in any usual format', async () => {
  for (const login of ['(415) 555-2671', '+1 415-555-2671', '415.555.2671', '1-415-555-2671', ' +14155552671 ']) {
    await signInOk(login);
  }
});

test('signs in by user name, case-insensitively', async () => {
  await signInOk('Ann');
});

test('the session cookie is PHPSESSID, HttpOnly, SameSite=Lax, and sessionId is its value', async () => {
  const { body, setCookies } = await signInOk('ann@acme.test');
  assert.ok(body.success);
  const session = setCookies.find((c) => c.startsWith('PHPSESSID='));
  assert.ok(session);
  assert.equal(session.split(';')[0], `PHPSESSID=${body.sessionId}`);
  assert.match(session, /HttpOnly/i);
  assert.match(session, /SameSite=Lax/i);
  assert.doesNotMatch(session, /Secure/i, 'plain http is not marked Secure');
  assert.ok(setCookies.some((c) => c.startsWith('PD_DEVICE=') && /HttpOnly/i.test(c)));
});

test('an unknown login and a wrong password get the same answer after the same hashing work', async () => {
  const hasher = server.context.passwordHasher;
  const original = hasher.verify;
  let verifications = 0;
  hasher.verify = (hash, password) => {
    verifications++;
    return original(hash, password);
  };
  try {
    const desktop = new TestDesktop(server, 'acme.localhost');
    const wrongPassword = await desktop.signIn('ann@acme.test', 'not the password');
    const afterWrong = verifications;
    const unknownLogin = await desktop.signIn('nobody@acme.test', 'not the password');
    const unknownUserName = await desktop.signIn('nobody', PASSWORD);
    assert.equal(wrongPassword.status, 401);
    assert.deepEqual(wrongPassword.body, { success: false });
    for (const answer of [unknownLogin, unknownUserName]) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, wrongPassword.body);
      assert.deepEqual(answer.setCookies, []);
    }
    assert.equal(afterWrong, 1, 'a wrong password costs one argon2id verification');
    assert.equal(verifications, 3, 'an unknown login costs one too, against a dummy hash');
  } finally {
    hasher.verify = original;
  }
});

test('a deactivated user is refused with their own code only after the right password', async () => {
  const bob = await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Bob', lastName: 'Ray', email: 'bob@acme.test' },
    'bobs password',
  );
  secretsSeen.push('bobs password');
  const desktop = new TestDesktop(server, 'acme.localhost');
  const before = await desktop.signIn('bob@acme.test', 'bobs password');
  assert.equal(before.status, 200);
  await server.context.users.setActive(acme.id, bob.id, false);
  await server.context.sessions.revokeAllOfUser(acme.id, bob.id);
  const wrong = await new TestDesktop(server, 'acme.localhost').signIn('bob@acme.test', 'a guess');
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, { success: false }, 'a guesser learns nothing about deactivation');
  const right = await new TestDesktop(server, 'acme.localhost').signIn('bob@acme.test', 'bobs password');
  assert.equal(right.status, 401);
  assert.deepEqual(right.body, { success: false, code: 'blocked_type' });
  assert.deepEqual(right.setCookies, []);
  const oldSession = await desktop.rest('portaldesk.session.list');
  assert.equal(oldSession.status, 401);
  assert.equal(oldSession.body.error, 'NO_AUTH_FOUND');
});

test('a malformed form is refused with bad_request and no session', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/desktop_app/login/`, {
    method: 'POST',
    body: new URLSearchParams({ action: 'login', login: 'ann@acme.test' }),
  });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { success: false, code: 'bad_request' });
  assert.deepEqual(res.headers.getSetCookie(), []);
});

test('a JSON body works as well as a form', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'login', login: 'ann@acme.test', password: PASSWORD, json: 'y' }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { success: boolean; sessionId: string; bitrixSessionId: string };
  assert.equal(body.success, true);
  secretsSeen.push(body.sessionId, body.bitrixSessionId);
});

test('the sign-in of an unknown host is not a portal', async () => {
  const res = await server.fetch(`${server.portalUrl('nobody.localhost')}/desktop_app/login/`, {
    method: 'POST',
    body: new URLSearchParams({ action: 'login', login: 'ann@acme.test', password: PASSWORD }),
  });
  assert.equal(res.status, 404);
});

test('a page of another site cannot sign a visitor in (login CSRF)', async () => {
  const url = `${server.portalUrl('acme.localhost')}/desktop_app/login/`;
  const form = () => new URLSearchParams({ action: 'login', login: 'ann@acme.test', password: PASSWORD });
  const foreign = await server.fetch(url, {
    method: 'POST',
    headers: { origin: 'https://evil.example' },
    body: form(),
  });
  assert.equal(foreign.status, 403);
  assert.deepEqual(foreign.headers.getSetCookie(), []);
  const own = await server.fetch(url, { method: 'POST', headers: { origin: new URL(url).origin }, body: form() });
  assert.equal(own.status, 200);
  const body = (await own.json()) as { sessionId: string; bitrixSessionId: string };
  secretsSeen.push(body.sessionId, body.bitrixSessionId);
});
