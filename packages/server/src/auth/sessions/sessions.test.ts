import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ActiveSessionInfo } from '@portaldesk/protocol';
import { manualClock } from '../../clock/clock.ts';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword } from '../../testing/auth-fixtures.ts';
import { capturingSql, genericPlanOf } from '../../testing/generic-plan.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { User } from '../../users/user.ts';
import type { SessionRevocation } from './session-revocations.ts';
import { SessionStore } from './session-store.ts';

const clock = manualClock();
let server: TestServer;
let acme: Portal;
let ann: User;

before(async () => {
  server = await startTestServer({ clock });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const beta = await server.context.portals.create({ domain: 'beta.localhost', name: 'Beta' });
  ann = await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'A', username: 'ann' }, 'ann pw');
  await createUserWithPassword(server, acme.id, { firstName: 'Ben', lastName: 'B', username: 'ben' }, 'ben pw');
  await createUserWithPassword(server, beta.id, { firstName: 'Ann', lastName: 'B', username: 'ann' }, 'ann pw');
});
after(() => server.close());

async function signedIn(login = 'ann', password = 'ann pw', domain = 'acme.localhost') {
  const desktop = new TestDesktop(server, domain);
  assert.equal((await desktop.signIn(login, password)).status, 200);
  return desktop;
}

test('a state-changing call without the session sessid is refused and changes nothing', async () => {
  const desktop = await signedIn();
  const noSessid = await desktop.rest('portaldesk.session.logout', {}, { withSessid: false });
  assert.equal(noSessid.status, 403);
  assert.equal(noSessid.body.error, 'INVALID_CSRF');
  const other = await signedIn();
  const foreignSessid = await desktop.rest(
    'portaldesk.session.logout',
    { sessid: other.sessid },
    { withSessid: false },
  );
  assert.equal(foreignSessid.body.error, 'INVALID_CSRF', "another session's sessid does not count");
  assert.equal((await desktop.rest('portaldesk.session.list')).status, 200, 'still signed in');
  const asParam = await desktop.rest('portaldesk.session.logout', { sessid: desktop.sessid }, { withSessid: false });
  assert.equal(asParam.status, 200, 'sessid as a parameter works like the header');
});

test('signing out ends the session: its next call gets the auth error', async () => {
  const desktop = await signedIn();
  assert.equal((await desktop.rest('portaldesk.session.logout')).status, 200);
  const next = await desktop.rest('portaldesk.session.list');
  assert.equal(next.status, 401);
  assert.equal(next.body.error, 'NO_AUTH_FOUND');
});

test('a user lists their sessions and revokes another one, which stops at once', async () => {
  const revocations: SessionRevocation[] = [];
  const unsubscribe = server.context.sessionRevocations.subscribe((r) => {
    revocations.push(r);
  });
  try {
    const laptop = await signedIn();
    const phone = await signedIn();
    assert.equal((await phone.rest('portaldesk.session.list')).status, 200, 'the phone session is cached now');
    const list = (await laptop.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[];
    assert.equal(list.filter((s) => s.current).length, 1);
    const phoneSessions = (await phone.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[];
    const phoneId = phoneSessions.find((s) => s.current)?.id ?? '';
    assert.equal((await laptop.rest('portaldesk.session.revoke', { ID: phoneId })).status, 200);
    assert.deepEqual(revocations, [{ portalId: acme.id, userId: ann.id, sessionId: phoneId }]);
    const next = await phone.rest('portaldesk.session.list');
    assert.equal(next.status, 401);
    assert.equal(next.body.error, 'NO_AUTH_FOUND');
    const remaining = (await laptop.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[];
    assert.ok(!remaining.some((s) => s.id === phoneId));
    assert.ok(
      list.some((s) => s.id === phoneId),
      'it was listed before',
    );
  } finally {
    unsubscribe();
  }
});

test("a user cannot revoke someone else's session", async () => {
  const ben = await signedIn('ben', 'ben pw');
  const benId = ((await ben.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[]).find(
    (s) => s.current,
  )?.id;
  const annDesktop = await signedIn();
  const attempt = await annDesktop.rest('portaldesk.session.revoke', { ID: benId });
  assert.equal(attempt.status, 404);
  assert.equal(attempt.body.error, 'NOT_FOUND');
  assert.equal((await ben.rest('portaldesk.session.list')).status, 200);
});

test('a revocation from another process drops the cached session at once', async () => {
  const desktop = await signedIn();
  const id = ((await desktop.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[]).find(
    (s) => s.current,
  )?.id;
  assert.ok(id);
  // Another process revoked it in the shared database and the realtime layer forwarded the signal.
  await server.context.db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [id]);
  assert.equal((await desktop.rest('portaldesk.session.list')).status, 200, 'still cached until told');
  server.context.sessionRevocations.deliverRemote({ portalId: acme.id, userId: ann.id, sessionId: id });
  assert.equal((await desktop.rest('portaldesk.session.list')).body.error, 'NO_AUTH_FOUND');
});

test('a session of portal A is refused on portal B, even where a user of the same name exists', async () => {
  const desktop = await signedIn();
  const res = await server.fetch(`${server.portalUrl('beta.localhost')}/rest/portaldesk.session.list.json`, {
    headers: desktop.cookieHeader(),
  });
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error: string }).error, 'NO_AUTH_FOUND');
});

test('a session expires after its lifetime', async () => {
  const desktop = await signedIn();
  clock.advance(31 * 24 * 3600_000);
  assert.equal((await desktop.rest('portaldesk.session.list')).body.error, 'NO_AUTH_FOUND');
});

test('sessions cannot be listed or ended without a session', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/portaldesk.session.list.json`);
  assert.equal(res.status, 401);
  const forged = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/portaldesk.session.list.json`, {
    headers: { cookie: 'PHPSESSID=forged-token' },
  });
  assert.equal(forged.status, 401);
});

test('the session cookie is Secure when the request came over https', async () => {
  const proxied = await startTestServer({ config: { trustProxy: true } });
  try {
    const portal = await proxied.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
    await createUserWithPassword(proxied, portal.id, { firstName: 'A', lastName: 'A', username: 'ann' }, 'ann pw');
    const res = await proxied.fetch(`${proxied.portalUrl('acme.localhost')}/desktop_app/login/`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ action: 'login', login: 'ann', password: 'ann pw' }),
    });
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('PHPSESSID='));
    assert.match(cookie ?? '', /;\s*Secure/i);
  } finally {
    await proxied.close();
  }
});

test('a session is found by index, so signing in does not slow down as the portal grows', async () => {
  const { db } = server.context;
  const capturing = capturingSql(db);
  assert.equal(await new SessionStore(capturing).findLive(acme.id, 'no such token', clock.now()), null);
  const [lookup] = capturing.statements;
  const plan = await genericPlanOf(
    db,
    lookup ?? '',
    ['int[]', 'text[]', 'timestamptz[]'],
    ['ARRAY[1]', "ARRAY['x']", "ARRAY['2026-12-02'::timestamptz]"],
  );
  assert.doesNotMatch(plan, /Seq Scan/, plan);
  assert.match(plan, /Index Scan using \w+ on sessions/, plan);
  assert.match(plan, /Index Scan using \w+ on users/, plan);
});

test('sessions looked up at the same time are found by one query, each its own', async () => {
  const { db } = server.context;
  const now = clock.now();
  const later = new Date(now.getTime() + 3600_000);
  const plain = new SessionStore(db);
  for (const id of ['together-1', 'together-2']) {
    await plain.insert({
      id,
      portalId: acme.id,
      userId: ann.id,
      tokenHash: `hash-of-${id}`,
      appPasswordId: null,
      ip: null,
      userAgent: null,
      createdAt: now,
      expiresAt: later,
    });
  }
  const capturing = capturingSql(db);
  const store = new SessionStore(capturing);
  const found = await Promise.all([
    store.findLive(acme.id, 'hash-of-together-2', now),
    store.findLive(acme.id, 'no such hash', now),
    store.findLive(acme.id + 1, 'hash-of-together-1', now),
    store.findLive(acme.id, 'hash-of-together-1', now),
    store.findLive(acme.id, 'hash-of-together-1', later),
  ]);
  assert.deepEqual(
    found.map((s) => s?.id ?? null),
    ['together-2', null, null, 'together-1', null],
    'each lookup answered for its own token, portal and time',
  );
  assert.equal(capturing.statements.length, 1, capturing.statements.join('\n'));
});
