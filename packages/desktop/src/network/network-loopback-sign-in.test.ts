import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP_NETWORK_CLIENT_ID } from '@portaldesk/protocol';
import {
  CookieJar,
  createProfile,
  networkUrl,
  signInAt,
  startTestServer,
  type TestServer,
} from '@portaldesk/server/testing';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { Response } from 'undici';
import { createDesktopFetch, type DesktopFetch } from '../portal/desktop-http-client.ts';
import { NetworkSignInError, startLoopbackSignIn } from './network-loopback-sign-in.ts';

// The desktop's half of RFC 8252 against a real Network; the person's half (the Network's page)
// is played by the fixture that does what that page does.
const PASSWORD = 'ivy signs in on the network page';
let server: TestServer;
const fetch = createDesktopFetch();

before(async () => {
  server = await startTestServer();
  await createProfile(server, { email: 'ivy@example.com', password: PASSWORD, displayName: 'Ivy' });
});
after(() => server.close());

test('the code comes back on the loopback port with state and iss, and is exchanged with the verifier', async () => {
  const signIn = await startLoopbackSignIn(networkUrl(server), fetch);
  const authorize = new URL(signIn.authorizeUrl);
  const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  assert.equal(redirect.hostname, '127.0.0.1');
  assert.notEqual(redirect.port, '');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('client_id'), 'portaldesk-desktop');

  const { location } = await signInAt(server, signIn.authorizeUrl, { login: 'ivy@example.com', password: PASSWORD });
  assert.ok(location);
  // Someone else's redirect with another state is answered but not taken.
  const forged = new URL(location);
  forged.searchParams.set('state', 'not-ours');
  assert.equal((await fetch(forged.toString())).status, 200);
  const page = await fetch(location.toString());
  assert.match(await page.text(), /Signed in/);
  const tokens = await signIn.tokens;
  assert.equal(tokens.scope, 'openid portals');
  const profile = await fetch(`${networkUrl(server)}/rest/network.profile.get.json`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(((await profile.json()) as { result: { displayName: string } }).result.displayName, 'Ivy');
});

test('an answer that names another issuer is refused, and the port stops listening', async () => {
  const signIn = await startLoopbackSignIn(networkUrl(server), fetch);
  const outcome = signIn.tokens.catch((error: unknown) => error);
  const { location } = await signInAt(
    server,
    signIn.authorizeUrl,
    { login: 'ivy@example.com', password: PASSWORD },
    new CookieJar(),
  );
  assert.ok(location);
  location.searchParams.set('iss', 'http://evil.localhost:1');
  await fetch(location.toString());
  const error = await outcome;
  assert.ok(error instanceof NetworkSignInError);
  assert.equal(error.code, 'NETWORK_SIGN_IN_ISSUER');
  await assert.rejects(fetch(location.toString()));
});

test('a sign-in nobody finishes ends by itself', async () => {
  const signIn = await startLoopbackSignIn(networkUrl(server), fetch, 50);
  await assert.rejects(
    signIn.tokens,
    (error: unknown) => error instanceof NetworkSignInError && error.code === 'NETWORK_SIGN_IN_TIMEOUT',
  );
});

/** The desktop's sign-in, start to end, against the real Network; answers how it ended. */
async function signInThrough(desktopFetch: DesktopFetch, editAuthorizeUrl: (url: URL) => void = () => {}) {
  const signIn = await startLoopbackSignIn(networkUrl(server), desktopFetch);
  const outcome = signIn.tokens.catch((error: unknown) => error);
  const authorizeUrl = new URL(signIn.authorizeUrl);
  editAuthorizeUrl(authorizeUrl);
  const { location } = await signInAt(
    server,
    authorizeUrl.toString(),
    { login: 'ivy@example.com', password: PASSWORD },
    new CookieJar(),
  );
  assert.ok(location, 'the Network sent the browser back');
  await (await fetch(location.toString())).text();
  return { outcome: await outcome, nonce: new URL(signIn.authorizeUrl).searchParams.get('nonce') ?? '' };
}

/** A man in the middle of the token answer: the Network's real answer with another ID token in it. */
function swappingIdToken(swap: (real: string) => Promise<string>): DesktopFetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!new URL(url).pathname.startsWith('/oauth/token')) return response;
    const body = (await response.json()) as { id_token: string };
    return new Response(JSON.stringify({ ...body, id_token: await swap(body.id_token) }), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** An ID token signed with the Network's own key: right in every way but the ones a test changes. */
function networkSigned(real: string, change: { audience?: string; issuer?: string; now?: Date; nonce?: string }) {
  const claims = decodeJwt(real);
  return server.context.network.keys.sign(
    { nonce: change.nonce ?? claims.nonce },
    {
      type: 'JWT',
      issuer: change.issuer ?? networkUrl(server),
      audience: change.audience ?? DESKTOP_NETWORK_CLIENT_ID,
      subject: String(claims.sub),
      expiresInSeconds: 300,
      now: change.now ?? new Date(),
    },
  );
}

function refusedAsUnverified(outcome: unknown, what: string) {
  assert.ok(outcome instanceof NetworkSignInError, `${what}: ${String(outcome)}`);
  assert.equal(outcome.code, 'NETWORK_SIGN_IN_ID_TOKEN', what);
}

test('an ID token made right for this sign-in passes (the control for the refusals below)', async () => {
  const { outcome } = await signInThrough(swappingIdToken((real) => networkSigned(real, {})));
  assert.equal((outcome as { scope?: string }).scope, 'openid portals');
});

test('an ID token with another nonce than the one this desktop sent is refused', async () => {
  // The authorization request reached the Network with someone else's nonce (an injected request).
  const { outcome } = await signInThrough(fetch, (url) => url.searchParams.set('nonce', 'another-sign-in'));
  refusedAsUnverified(outcome, 'authorization request with another nonce');
  refusedAsUnverified(
    (await signInThrough(swappingIdToken((real) => networkSigned(real, { nonce: 'another-sign-in' })))).outcome,
    'token with another nonce',
  );
});

test('an ID token for another client, from another issuer, or expired is refused', async () => {
  for (const [what, change] of [
    ['another audience', { audience: 'acme-portal' }],
    ['another issuer', { issuer: 'http://evil.localhost:1' }],
    ['expired', { now: new Date(Date.now() - 60 * 60_000) }],
  ] as const) {
    refusedAsUnverified((await signInThrough(swappingIdToken((real) => networkSigned(real, change)))).outcome, what);
  }
});

test('an ID token whose signature does not verify against the Network’s keys is refused', async () => {
  // The Network's token with its claims changed (another person) and the signature kept.
  const altered = swappingIdToken(async (real) => {
    const [header, , signature] = real.split('.');
    const claims = { ...decodeJwt(real), sub: 'someone-else' };
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  });
  refusedAsUnverified((await signInThrough(altered)).outcome, 'claims changed under the signature');
  // A token signed by another key that claims the Network's key id.
  const forged = swappingIdToken(async (real) => {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(decodeJwt(real))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: decodeProtectedHeader(real).kid ?? '' })
      .sign(privateKey);
  });
  refusedAsUnverified((await signInThrough(forged)).outcome, 'signed by another key');
  // No signature at all.
  const unsigned = swappingIdToken(async (real) => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    return `${header}.${real.split('.')[1]}.`;
  });
  refusedAsUnverified((await signInThrough(unsigned)).outcome, 'alg none');
});
