import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CookieJar, createProfile, networkUrl, signInAt } from '@portaldesk/server/network/testing/network-fixtures';
import { startTestServer, type TestServer } from '@portaldesk/server/testing/test-server';
import { createDesktopFetch } from '../portal/desktop-http-client.ts';
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
