import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  NetworkDesktopLoginSuccessSchema,
  type NetworkPortal,
  NetworkTokenResponseSchema,
  PortalAssertionResultSchema,
} from '@portaldesk/protocol';
import type { Portal } from '../../portals/portal.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import {
  CookieJar,
  createProfile,
  exchangeCode,
  linkByInvitation,
  logsContainAny,
  networkRest,
  networkUrl,
  pkcePair,
  signInAndAuthorize,
} from '../testing/network-fixtures.ts';
import { registerPortalWithNetwork } from './register-portal.ts';

let server: TestServer;
let acme: Portal;
let globex: Portal;
let acmeUserId: number;
let globexClientId: string;
const PASSWORD = 'frank uses a long network password';
const secrets: string[] = [PASSWORD];
/** What the desktop holds after signing in to the Network. */
let networkToken: string;
let idToken: string;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  await registerPortalWithNetwork(server.context, acme, server.portalUrl('acme.localhost'));
  globexClientId = (await registerPortalWithNetwork(server.context, globex, server.portalUrl('globex.localhost')))
    .clientId;
  acmeUserId = (
    await server.context.users.create(acme.id, { firstName: 'Frank', lastName: 'Acme', email: 'frank@example.com' })
  ).id;
  await server.context.users.create(globex.id, { firstName: 'Frank', lastName: 'Globex', email: 'frank@example.com' });
  await createProfile(server, { email: 'frank@example.com', password: PASSWORD, displayName: 'Frank', verified: true });

  // The desktop's sign-in to the Network: loopback redirect, PKCE, state checked by the desktop.
  const pkce = pkcePair();
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const state = 'desktop-state';
  const { location } = await signInAndAuthorize(
    server,
    { redirectUri, challenge: pkce.challenge, state, nonce: 'desktop-nonce' },
    { login: 'frank@example.com', password: PASSWORD },
  );
  assert.equal(location?.searchParams.get('state'), state);
  assert.equal(location?.searchParams.get('iss'), networkUrl(server));
  const code = location?.searchParams.get('code') ?? '';
  const tokens = NetworkTokenResponseSchema.parse(
    await (await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier })).json(),
  );
  networkToken = tokens.access_token;
  idToken = tokens.id_token;
  secrets.push(code, pkce.verifier, networkToken, idToken);
  await linkByInvitation(server, {
    portal: acme,
    userId: acmeUserId,
    email: 'frank@example.com',
    profileToken: networkToken,
  });
});
after(() => server.close());

async function assertionFor(portalId: string) {
  const { status, body } = await networkRest(server, 'network.portal.assertion', networkToken, { PORTAL_ID: portalId });
  assert.equal(status, 200, JSON.stringify(body));
  const result = PortalAssertionResultSchema.parse(body.result);
  secrets.push(result.assertion);
  return result;
}

function presentAssertion(address: string, assertion: string) {
  return server.fetch(`${address}/network/desktop_login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ assertion, user_os_mark: 'machine-1', user_account: 'frank', json: 'y' }).toString(),
  });
}

async function sessionWorks(address: string, sessionId: string): Promise<boolean> {
  const res = await server.fetch(`${address}/rest/server.time.json`, { headers: { cookie: `PHPSESSID=${sessionId}` } });
  return res.status === 200;
}

let portalSession: { sessionId: string; appPassword: string; userId: number };

test('the desktop lists the linked portals and opens one with a portal session and an app password', async () => {
  const { body } = await networkRest(server, 'network.portal.list', networkToken);
  const portals = body.result as NetworkPortal[];
  assert.deepEqual(
    portals.map((p) => [p.name, p.userName, p.address]),
    [['Acme', 'Frank Acme', server.portalUrl('acme.localhost')]],
  );
  const { assertion, address } = await assertionFor(portals[0]?.id ?? '');
  assert.equal(address, server.portalUrl('acme.localhost'));

  const res = await presentAssertion(address, assertion);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('set-cookie') ?? '', /PHPSESSID=[^;]+;.*HttpOnly/i);
  const answer = NetworkDesktopLoginSuccessSchema.parse(await res.json());
  assert.equal(answer.userId, acmeUserId);
  assert.equal(answer.login, 'frank@example.com', 'the login the application password signs in with');
  portalSession = { sessionId: answer.sessionId, appPassword: answer.appPassword, userId: answer.userId };
  secrets.push(answer.sessionId, answer.appPassword, answer.bitrixSessionId);
  assert.equal(await sessionWorks(address, answer.sessionId), true);

  // Later, the desktop signs in to this portal alone with the application password.
  const relogin = await server.fetch(`${address}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      action: 'login',
      login: answer.login,
      password: answer.appPassword,
      user_os_mark: 'machine-1',
      user_account: 'frank',
      json: 'y',
    }).toString(),
  });
  assert.equal(relogin.status, 200);
});

test('an assertion works once', async () => {
  const acmeId = ((await networkRest(server, 'network.portal.list', networkToken)).body.result as NetworkPortal[])[0]
    ?.id;
  const { assertion, address } = await assertionFor(acmeId ?? '');
  assert.equal((await presentAssertion(address, assertion)).status, 200);
  const replay = await presentAssertion(address, assertion);
  assert.equal(replay.status, 401);
  assert.deepEqual(await replay.json(), { success: false, code: 'replayed_token' });
});

test("portal A's assertion is refused by portal B; the Network's own tokens are refused by both", async () => {
  const acmeId = ((await networkRest(server, 'network.portal.list', networkToken)).body.result as NetworkPortal[])[0]
    ?.id;
  const { assertion } = await assertionFor(acmeId ?? '');
  const onGlobex = await presentAssertion(server.portalUrl('globex.localhost'), assertion);
  assert.equal(onGlobex.status, 401);
  assert.deepEqual(await onGlobex.json(), { success: false, code: 'invalid_token' });
  assert.equal(onGlobex.headers.get('set-cookie'), null);
  for (const token of [networkToken, idToken]) {
    const res = await presentAssertion(server.portalUrl('acme.localhost'), token);
    assert.equal(res.status, 401);
  }
});

test('the Network gives no assertion for a portal the profile is not linked to', async () => {
  const res = await networkRest(server, 'network.portal.assertion', networkToken, { PORTAL_ID: globexClientId });
  assert.equal(res.status, 404);
});

test('another site cannot post an assertion into a browser', async () => {
  const acmeId = ((await networkRest(server, 'network.portal.list', networkToken)).body.result as NetworkPortal[])[0]
    ?.id;
  const { assertion, address } = await assertionFor(acmeId ?? '');
  const res = await server.fetch(`${address}/network/desktop_login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: new URLSearchParams({ assertion }).toString(),
  });
  assert.equal(res.status, 403);
});

test('signing out of the Network leaves the portal sessions the desktop opened', async () => {
  const jar = new CookieJar();
  const signIn = await server.fetch(`${networkUrl(server)}/network/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'frank@example.com', password: PASSWORD }),
  });
  jar.take(signIn);
  const { sessid: mine } = (await signIn.json()) as { sessid: string };
  secrets.push(mine);
  const logout = await server.fetch(`${networkUrl(server)}/network/logout/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header() },
    body: JSON.stringify({ sessid: mine }),
  });
  assert.equal(logout.status, 200);
  const revoke = await server.fetch(`${networkUrl(server)}/oauth/revoke/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: networkToken }).toString(),
  });
  assert.equal(revoke.status, 200);
  assert.equal((await networkRest(server, 'network.portal.list', networkToken)).status, 401);
  assert.equal(await sessionWorks(server.portalUrl('acme.localhost'), portalSession.sessionId), true);
});

test('no password, token, assertion or session id reaches the logs', () => {
  assert.deepEqual(logsContainAny(server, secrets), []);
});
