import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PORTAL_ASSERTION_TYPE, type PortalAssertionResult } from '@portaldesk/protocol';
import { manualClock } from '../../clock/clock.ts';
import type { Portal } from '../../portals/portal.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import {
  createProfile,
  desktopNetworkToken,
  exchangeCode,
  linkByInvitation,
  networkRest,
  pkcePair,
  signInAndAuthorize,
} from '../testing/network-fixtures.ts';
import { NetworkTokenVerifier } from './network-token-verifier.ts';
import type { PortalNetworkTrust } from './portal-network-trust.ts';
import { registerPortalWithNetwork } from './register-portal.ts';

const clock = manualClock(new Date());
let server: TestServer;
let acme: Portal;
let globex: Portal;
let acmeTrust: PortalNetworkTrust;
let globexTrust: PortalNetworkTrust;
let token: string;
let acmeId: string;
let acmeUserId: number;
let verifier: NetworkTokenVerifier;
const PASSWORD = 'verifier test password';

before(async () => {
  server = await startTestServer({ clock });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  await registerPortalWithNetwork(server.context, acme, server.portalUrl('acme.localhost'));
  await registerPortalWithNetwork(server.context, globex, server.portalUrl('globex.localhost'));
  acmeTrust = (await server.context.portalNetworkTrust.find(acme.id)) as PortalNetworkTrust;
  globexTrust = (await server.context.portalNetworkTrust.find(globex.id)) as PortalNetworkTrust;
  acmeUserId = (
    await server.context.users.create(acme.id, { firstName: 'Eve', lastName: 'A', email: 'eve@example.com' })
  ).id;
  await createProfile(server, { email: 'eve@example.com', password: PASSWORD, verified: true });
  token = await desktopNetworkToken(server, { login: 'eve@example.com', password: PASSWORD });
  acmeId = await linkByInvitation(server, {
    portal: acme,
    userId: acmeUserId,
    email: 'eve@example.com',
    profileToken: token,
  });
  verifier = new NetworkTokenVerifier(server.context.db, clock);
});
after(() => server.close());

async function assertion(portalId = acmeId): Promise<string> {
  const { status, body } = await networkRest(server, 'network.portal.assertion', token, { PORTAL_ID: portalId });
  assert.equal(status, 200, JSON.stringify(body));
  return (body.result as PortalAssertionResult).assertion;
}

test('the portal accepts an assertion made for it, once', async () => {
  const jwt = await assertion();
  const identity = await verifier.verify(acmeTrust, jwt, { type: PORTAL_ASSERTION_TYPE, singleUse: true });
  assert.equal(identity.portalUserId, acmeUserId);
  await assert.rejects(verifier.verify(acmeTrust, jwt, { type: PORTAL_ASSERTION_TYPE, singleUse: true }), {
    code: 'replayed_token',
  });
});

test('an assertion for one portal is refused by another', async () => {
  await assert.rejects(verifier.verify(globexTrust, await assertion(), { type: PORTAL_ASSERTION_TYPE }), {
    code: 'invalid_token',
  });
});

test('the Network refuses an assertion for a portal the profile is not linked to', async () => {
  const res = await networkRest(server, 'network.portal.assertion', token, { PORTAL_ID: globexTrust.clientId });
  assert.equal(res.status, 404);
});

test('an assertion from another issuer, or an expired one, is refused', async () => {
  const jwt = await assertion();
  await assert.rejects(
    verifier.verify({ ...acmeTrust, issuer: 'http://other.localhost:1' }, jwt, { type: PORTAL_ASSERTION_TYPE }),
    { code: 'invalid_token' },
  );
  clock.advance(91_000);
  await assert.rejects(verifier.verify(acmeTrust, jwt, { type: PORTAL_ASSERTION_TYPE }), { code: 'expired_token' });
});

test('an ID token is no assertion, and an assertion is no ID token', async () => {
  const pkce = pkcePair();
  const redirectUri = 'http://127.0.0.1:40000/callback';
  const { location } = await signInAndAuthorize(
    server,
    { redirectUri, challenge: pkce.challenge, nonce: 'n' },
    { login: 'eve@example.com', password: PASSWORD },
  );
  const tokens = (await (
    await exchangeCode(server, { code: location?.searchParams.get('code') ?? '', redirectUri, verifier: pkce.verifier })
  ).json()) as { id_token: string };
  // The desktop's ID token is for the desktop, not for a portal.
  await assert.rejects(verifier.verify(acmeTrust, tokens.id_token, { type: PORTAL_ASSERTION_TYPE }), {
    code: 'invalid_token',
  });
  await assert.rejects(verifier.verify(acmeTrust, await assertion(), { type: 'JWT' }), { code: 'invalid_token' });
  await assert.rejects(verifier.verify(acmeTrust, 'not.a.jwt', { type: PORTAL_ASSERTION_TYPE }), {
    code: 'invalid_token',
  });
});
