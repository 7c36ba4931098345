import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ActiveSessionInfo, SessionsEnded } from '@portaldesk/protocol';
import type { Portal } from '../portals/portal.ts';
import { createUserWithPassword, leakedSecrets } from '../testing/auth-fixtures.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { DEFAULT_REAUTHENTICATION_LIMITS } from './reauthentication-limits.ts';
import type { SessionRevocation } from './sessions/session-revocations.ts';

let server: TestServer;
let acme: Portal;
let globex: Portal;
const secretsSeen: string[] = [];

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
});
after(async () => {
  assert.deepEqual(leakedSecrets(server, secretsSeen), []);
  await server.close();
});

async function userWithPassword(username: string, portal = acme) {
  const password = `${username} old password`;
  secretsSeen.push(password);
  const user = await createUserWithPassword(
    server,
    portal.id,
    { firstName: username, lastName: 'X', username },
    password,
  );
  return { user, password };
}

async function signedIn(domain: string, login: string, password: string) {
  const desktop = new TestDesktop(server, domain);
  const answer = await desktop.signIn(login, password);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return desktop;
}

const sessionCount = async (desktop: TestDesktop) =>
  ((await desktop.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[]).length;

test('a password change signs out every other session of the user and keeps this one', async () => {
  const { user, password } = await userWithPassword('dora');
  const other = await userWithPassword('olga');
  const laptop = await signedIn('acme.localhost', 'dora', password);
  const browser = await signedIn('acme.localhost', 'dora', password);
  const olga = await signedIn('acme.localhost', 'olga', other.password);
  const revocations: SessionRevocation[] = [];
  const unsubscribe = server.context.sessionRevocations.subscribe((r) => void revocations.push(r));
  const newPassword = 'dora brand new password';
  secretsSeen.push(newPassword);
  try {
    const changed = await browser.rest('portaldesk.password.change', {
      CURRENT_PASSWORD: password,
      NEW_PASSWORD: newPassword,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.result, { revokedSessions: 1 } satisfies SessionsEnded);
  } finally {
    unsubscribe();
  }
  assert.deepEqual(
    revocations.map((r) => r.userId),
    [user.id],
  );
  assert.equal((await laptop.rest('portaldesk.session.list')).body.error, 'NO_AUTH_FOUND');
  assert.equal(await sessionCount(browser), 1, 'the session that changed it stays');
  assert.equal(await sessionCount(olga), 1, "another user's session is untouched");

  const oldPassword = await new TestDesktop(server, 'acme.localhost').signIn('dora', password);
  assert.equal(oldPassword.status, 401);
  await signedIn('acme.localhost', 'dora', newPassword);
});

test('a wrong current password changes nothing and ends no session', async () => {
  const { password } = await userWithPassword('eric');
  const laptop = await signedIn('acme.localhost', 'eric', password);
  const browser = await signedIn('acme.localhost', 'eric', password);
  const wrong = await browser.rest('portaldesk.password.change', {
    CURRENT_PASSWORD: 'not the password',
    NEW_PASSWORD: 'eric new password',
  });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body, { error: 'WRONG_PASSWORD', error_description: 'The current password is wrong' });
  assert.equal(await sessionCount(laptop), 2);
  await signedIn('acme.localhost', 'eric', password);
});

test('bad input is refused in the REST envelope: short, missing, without sessid, not a session', async () => {
  const { password } = await userWithPassword('fay');
  const browser = await signedIn('acme.localhost', 'fay', password);
  const short = await browser.rest('portaldesk.password.change', { CURRENT_PASSWORD: password, NEW_PASSWORD: 'short' });
  assert.equal(short.status, 400);
  assert.equal(short.body.error, 'INVALID_ARG_VALUE');
  assert.match(short.body.error_description ?? '', /NEW_PASSWORD: .*at least 8 characters/);
  assert.doesNotMatch(JSON.stringify(short.body), /short"|old password/, 'no password echoed');

  const missing = await browser.rest('portaldesk.password.change', { NEW_PASSWORD: 'long enough password' });
  assert.equal(missing.body.error, 'INVALID_ARG_VALUE');
  assert.match(missing.body.error_description ?? '', /^CURRENT_PASSWORD: /);

  const noSessid = await browser.rest(
    'portaldesk.password.change',
    { CURRENT_PASSWORD: password, NEW_PASSWORD: 'long enough password' },
    { withSessid: false },
  );
  assert.equal(noSessid.status, 403);
  assert.equal(noSessid.body.error, 'INVALID_CSRF');

  const anonymous = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/portaldesk.password.change.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ CURRENT_PASSWORD: password, NEW_PASSWORD: 'long enough password' }),
  });
  assert.equal(anonymous.status, 401);
  // None of these changed the password.
  await signedIn('acme.localhost', 'fay', password);
});

test('"sign out everywhere else" ends the other sessions only', async () => {
  const { password } = await userWithPassword('gus');
  const first = await signedIn('acme.localhost', 'gus', password);
  const second = await signedIn('acme.localhost', 'gus', password);
  const here = await signedIn('acme.localhost', 'gus', password);
  const ended = await here.rest('portaldesk.session.revokeOthers');
  assert.deepEqual(ended.body.result, { revokedSessions: 2 } satisfies SessionsEnded);
  for (const gone of [first, second]) {
    assert.equal((await gone.rest('portaldesk.session.list')).body.error, 'NO_AUTH_FOUND');
  }
  assert.equal(await sessionCount(here), 1);
  assert.equal(
    (await here.rest('portaldesk.session.revokeOthers', {}, { withSessid: false })).body.error,
    'INVALID_CSRF',
  );
});

test('wrong current passwords are limited per user: then even the right one waits', async () => {
  // Its own portal, so that the user's counter (kept in Redis when the suite runs on it) is
  // nobody else's in a parallel test file.
  const { password } = await userWithPassword('hal', globex);
  const browser = await signedIn('globex.localhost', 'hal', password);
  for (let i = 0; i < DEFAULT_REAUTHENTICATION_LIMITS.failures; i++) {
    const wrong = await browser.rest('portaldesk.password.change', {
      CURRENT_PASSWORD: `guess ${i}`,
      NEW_PASSWORD: 'hal new password',
    });
    assert.equal(wrong.body.error, 'WRONG_PASSWORD');
  }
  const limited = await browser.rest('portaldesk.password.change', {
    CURRENT_PASSWORD: password,
    NEW_PASSWORD: 'hal new password',
  });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error, 'QUERY_LIMIT_EXCEEDED');
  const disable = await browser.rest('portaldesk.otp.disable', { PASSWORD: password });
  assert.equal(disable.status, 429, 'the same budget covers turning two-factor off');
  await signedIn('globex.localhost', 'hal', password);
});
