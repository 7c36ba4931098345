import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { NetworkPortal } from '@portaldesk/protocol';
import { hashPassword } from '../../auth/password-hasher.ts';
import type { Portal } from '../../portals/portal.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import {
  CookieJar,
  createProfile,
  desktopNetworkToken,
  linkByInvitation,
  logsContainAny,
  networkRest,
  networkUrl,
  signInAt,
} from '../testing/network-fixtures.ts';
import { registerPortalWithNetwork } from './register-portal.ts';

let server: TestServer;
let acme: Portal;
let globex: Portal;
let acmeUserId: number;
const PASSWORD = 'grace signs in through the network';
const PORTAL_PASSWORD = 'grace has a portal password too';
const secrets: string[] = [PASSWORD, PORTAL_PASSWORD];

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  await registerPortalWithNetwork(server.context, acme, server.portalUrl('acme.localhost'));
  await registerPortalWithNetwork(server.context, globex, server.portalUrl('globex.localhost'));
  acmeUserId = (
    await server.context.users.create(acme.id, { firstName: 'Grace', lastName: 'A', email: 'grace@example.com' })
  ).id;
  await createProfile(server, { email: 'grace@example.com', password: PASSWORD, verified: true });
  const token = await desktopNetworkToken(server, { login: 'grace@example.com', password: PASSWORD });
  secrets.push(token);
  await linkByInvitation(server, { portal: acme, userId: acmeUserId, email: 'grace@example.com', profileToken: token });
});
after(() => server.close());

/**
 * A browser on `domain` pressing "Sign in with Network profile": the portal sends it to the
 * Network, the person signs in there, the Network sends it back. Answers the callback URL the
 * Network redirected to, and the portal's cookies (a browser keeps one jar per site).
 */
async function startAndSignIn(domain: string) {
  const portalJar = new CookieJar();
  const start = await server.fetch(`${server.portalUrl(domain)}/network/signin`, { redirect: 'manual' });
  assert.equal(start.status, 303);
  portalJar.take(start);
  const authorizeUrl = start.headers.get('location') ?? '';
  assert.ok(authorizeUrl.startsWith(`${networkUrl(server)}/oauth/authorize/?`), authorizeUrl);
  const { location } = await signInAt(server, authorizeUrl, { login: 'grace@example.com', password: PASSWORD });
  assert.ok(location);
  secrets.push(location.searchParams.get('code') ?? '');
  return { callback: location, portalJar };
}

async function sessionWorks(domain: string, jar: CookieJar): Promise<boolean> {
  const res = await server.fetch(`${server.portalUrl(domain)}/rest/server.time.json`, {
    headers: { cookie: jar.header() },
  });
  return res.status === 200;
}

test('signing in with the Network opens a portal session for the linked user', async () => {
  const { callback, portalJar } = await startAndSignIn('acme.localhost');
  assert.equal(callback.origin + callback.pathname, `${server.portalUrl('acme.localhost')}/network/callback`);
  const res = await server.fetch(callback.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  portalJar.take(res);
  secrets.push(portalJar.get('PHPSESSID') ?? '');
  assert.equal(await sessionWorks('acme.localhost', portalJar), true);
  const sessions = await server.context.sessions.list(acme.id, acmeUserId);
  assert.equal(sessions.length, 1);
});

test('the portal page learns whether the Network is offered, and the session a Network sign-in opened', async () => {
  const available = await server.fetch(`${server.portalUrl('acme.localhost')}/network/available`);
  assert.deepEqual(await available.json(), { available: true });
  const lonely = await server.context.portals.create({ domain: 'lonely.localhost', name: 'Lonely' });
  assert.ok(lonely);
  const none = await server.fetch(`${server.portalUrl('lonely.localhost')}/network/available`);
  assert.deepEqual(await none.json(), { available: false });

  const nobody = await server.fetch(`${server.portalUrl('acme.localhost')}/network/session`);
  assert.equal(nobody.status, 401);
  const { callback, portalJar } = await startAndSignIn('acme.localhost');
  portalJar.take(
    await server.fetch(callback.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' }),
  );
  const session = await server.fetch(`${server.portalUrl('acme.localhost')}/network/session`, {
    headers: { cookie: portalJar.header() },
  });
  const body = (await session.json()) as { userId: number; sessid: string };
  assert.equal(body.userId, acmeUserId);
  assert.match(body.sessid, /^[0-9a-f]{32}$/);
  assert.equal(session.headers.get('access-control-allow-origin'), null, 'no other site can read it');
  // The sessid is that of the session: a session call that changes data goes through with it.
  const logout = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/portaldesk.session.logout.json`, {
    method: 'POST',
    headers: { cookie: portalJar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ sessid: body.sessid }),
  });
  assert.equal(logout.status, 200);
});

test('a callback whose state is not the one this browser started with is refused', async () => {
  const { callback, portalJar } = await startAndSignIn('acme.localhost');
  const forged = new URL(callback);
  forged.searchParams.set('state', 'attacker-state');
  const res = await server.fetch(forged.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error_description: string }).error_description, /state/);
  assert.equal(
    res.headers.getSetCookie().some((c) => c.startsWith('PHPSESSID=')),
    false,
  );
  // Without the browser's sign-in cookie (an attacker's link sent to a victim) it is refused too.
  const noCookie = await server.fetch(callback.toString(), { redirect: 'manual' });
  assert.equal(noCookie.status, 400);
});

test('a callback that names another issuer is refused (mix-up defence)', async () => {
  const { callback, portalJar } = await startAndSignIn('acme.localhost');
  const mixedUp = new URL(callback);
  mixedUp.searchParams.set('iss', 'http://evil.localhost:1');
  const res = await server.fetch(mixedUp.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error_description: string }).error_description, /iss/);
  // Nor is a callback without iss.
  const noIss = new URL(callback);
  noIss.searchParams.delete('iss');
  const again = await startAndSignIn('acme.localhost');
  noIss.searchParams.set('state', again.callback.searchParams.get('state') ?? '');
  noIss.searchParams.set('code', again.callback.searchParams.get('code') ?? '');
  const res2 = await server.fetch(noIss.toString(), {
    headers: { cookie: again.portalJar.header() },
    redirect: 'manual',
  });
  assert.equal(res2.status, 400);
});

test('a portal the profile is not linked to gets access_denied and opens no session', async () => {
  const { callback, portalJar } = await startAndSignIn('globex.localhost');
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('code'), null);
  const res = await server.fetch(callback.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' });
  assert.equal(res.status, 403);
  assert.equal(
    res.headers.getSetCookie().some((c) => c.startsWith('PHPSESSID=')),
    false,
  );
});

test("a code issued for portal A is refused when portal B's callback presents it", async () => {
  const fromAcme = await startAndSignIn('acme.localhost');
  const globexStart = await server.fetch(`${server.portalUrl('globex.localhost')}/network/signin`, {
    redirect: 'manual',
  });
  const globexJar = new CookieJar();
  globexJar.take(globexStart);
  const state = new URL(globexStart.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const moved = new URL(`${server.portalUrl('globex.localhost')}/network/callback`);
  moved.searchParams.set('code', fromAcme.callback.searchParams.get('code') ?? '');
  moved.searchParams.set('state', state);
  moved.searchParams.set('iss', networkUrl(server));
  const res = await server.fetch(moved.toString(), { headers: { cookie: globexJar.header() }, redirect: 'manual' });
  assert.equal(res.status, 403);
  assert.equal(
    res.headers.getSetCookie().some((c) => c.startsWith('PHPSESSID=')),
    false,
  );
});

test('a person signed in to the portal links it by signing in to the Network and confirming', async () => {
  const globexUser = await server.context.users.create(globex.id, {
    firstName: 'Grace',
    lastName: 'Globex',
    email: 'grace.g@globex.example',
  });
  await server.context.users.setPasswordHash(globex.id, globexUser.id, await hashPassword(PORTAL_PASSWORD));
  const portalJar = new CookieJar();
  const noSession = await server.fetch(`${server.portalUrl('globex.localhost')}/network/link`, { redirect: 'manual' });
  assert.equal(noSession.status, 303, 'only someone signed in to the portal can start a link');
  assert.equal(
    noSession.headers.get('location'),
    '/?after_sign_in=network-link',
    'the portal asks them to sign in first',
  );
  assert.equal(noSession.headers.get('set-cookie'), null);

  const login = await server.fetch(`${server.portalUrl('globex.localhost')}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      action: 'login',
      login: 'grace.g@globex.example',
      password: PORTAL_PASSWORD,
    }).toString(),
  });
  assert.equal(login.status, 200);
  portalJar.take(login);
  secrets.push(portalJar.get('PHPSESSID') ?? '');
  const start = await server.fetch(`${server.portalUrl('globex.localhost')}/network/link`, {
    headers: { cookie: portalJar.header() },
    redirect: 'manual',
  });
  assert.equal(start.status, 303);
  portalJar.take(start);
  const authorizeUrl = start.headers.get('location') ?? '';
  const describe = await server.fetch(`${networkUrl(server)}/oauth/authorize/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...Object.fromEntries(new URL(authorizeUrl).searchParams), action: 'describe' }),
  });
  assert.deepEqual(await describe.json(), {
    clientName: 'Globex',
    clientKind: 'portal',
    linking: true,
    signedInAs: null,
  });
  const { location } = await signInAt(server, authorizeUrl, { login: 'grace@example.com', password: PASSWORD });
  assert.ok(location);
  assert.ok(location.searchParams.get('code'), String(location));
  secrets.push(location.searchParams.get('code') ?? '');
  const done = await server.fetch(location.toString(), { headers: { cookie: portalJar.header() }, redirect: 'manual' });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), `${networkUrl(server)}/`, 'back to the profile page');

  const token = await desktopNetworkToken(server, { login: 'grace@example.com', password: PASSWORD });
  secrets.push(token);
  const { body } = await networkRest(server, 'network.portal.list', token);
  assert.deepEqual(
    (body.result as NetworkPortal[]).map((p) => [p.name, p.userId, p.userName]),
    [
      ['Acme', acmeUserId, 'Grace A'],
      ['Globex', globexUser.id, 'Grace Globex'],
    ],
  );
  // And now "Sign in with Network profile" works on Globex too.
  const { callback, portalJar: jar } = await startAndSignIn('globex.localhost');
  const res = await server.fetch(callback.toString(), { headers: { cookie: jar.header() }, redirect: 'manual' });
  assert.equal(res.status, 303);
});

test('no password, code or session reaches the logs', () => {
  assert.deepEqual(logsContainAny(server, secrets), []);
});
