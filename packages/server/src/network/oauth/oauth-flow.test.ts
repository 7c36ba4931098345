import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NetworkAuthorizeDescriptionSchema, NetworkTokenResponseSchema } from '@portaldesk/protocol';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { manualClock } from '../../clock/clock.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import {
  authorizeQuery,
  CookieJar,
  consentAt,
  createProfile,
  exchangeCode,
  logsContainAny,
  networkRest,
  networkUrl,
  pkcePair,
  signInAndAuthorize,
} from '../testing/network-fixtures.ts';

const clock = manualClock(new Date());
let server: TestServer;
const PASSWORD = 'correct horse battery staple';
const secrets: string[] = [PASSWORD];

before(async () => {
  server = await startTestServer({ clock });
  await createProfile(server, { email: 'ann@example.com', password: PASSWORD, displayName: 'Ann', verified: true });
});
after(() => server.close());

const redirect = (port: number) => `http://127.0.0.1:${port}/callback`;

async function authorize(options: { port?: number; state?: string; nonce?: string } = {}) {
  const pkce = pkcePair();
  const redirectUri = redirect(options.port ?? 49152);
  const { location, response } = await signInAndAuthorize(
    server,
    { redirectUri, challenge: pkce.challenge, state: options.state ?? 'st-1', nonce: options.nonce ?? 'n-1' },
    { login: 'ann@example.com', password: PASSWORD },
  );
  assert.equal(response.status, 200);
  assert.ok(location);
  const code = location.searchParams.get('code') ?? '';
  secrets.push(code, pkce.verifier);
  return { location, code, redirectUri, pkce };
}

test('the desktop signs in on the page and gets a code on its loopback port, with state and iss', async () => {
  const { location } = await authorize({ port: 51234, state: 'abc' });
  assert.equal(location.origin, 'http://127.0.0.1:51234');
  assert.equal(location.pathname, '/callback');
  assert.equal(location.searchParams.get('state'), 'abc');
  assert.equal(location.searchParams.get('iss'), networkUrl(server));
  assert.ok((location.searchParams.get('code') ?? '').length >= 43);
});

test('a code and the right verifier give a token and an ID token signed by the JWKS, for the desktop', async () => {
  const { code, redirectUri, pkce } = await authorize({ nonce: 'nonce-42' });
  const res = await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const tokens = NetworkTokenResponseSchema.parse(await res.json());
  secrets.push(tokens.access_token, tokens.id_token);
  assert.equal(tokens.scope, 'openid portals');
  const jwks = await (await server.fetch(`${networkUrl(server)}/.well-known/jwks.json`)).json();
  const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks as never), {
    issuer: networkUrl(server),
    audience: 'portaldesk-desktop',
    currentDate: clock.now(),
  });
  assert.equal(payload.nonce, 'nonce-42');
  assert.equal(payload.name, 'Ann');
  assert.match(String(payload.sub), /^np_/);
  assert.equal(decodeProtectedHeader(tokens.id_token).alg, 'ES256');
  const profile = await networkRest(server, 'network.profile.get', tokens.access_token);
  assert.equal(profile.status, 200);
  assert.deepEqual((profile.body.result as { email: string }).email, 'ann@example.com');
});

test('a missing or wrong PKCE verifier is refused, and the code is spent', async () => {
  const missing = await authorize();
  const noVerifier = await exchangeCode(server, { code: missing.code, redirectUri: missing.redirectUri });
  assert.equal(noVerifier.status, 400);
  assert.equal(((await noVerifier.json()) as { error: string }).error, 'invalid_grant');

  const wrong = await authorize();
  const res = await exchangeCode(server, {
    code: wrong.code,
    redirectUri: wrong.redirectUri,
    verifier: pkcePair().verifier,
  });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
  const retry = await exchangeCode(server, {
    code: wrong.code,
    redirectUri: wrong.redirectUri,
    verifier: wrong.pkce.verifier,
  });
  assert.equal(retry.status, 400, 'a code presented once cannot be tried again with another verifier');
});

test('a reused code is refused and the token issued from it stops working', async () => {
  const { code, redirectUri, pkce } = await authorize();
  const first = await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier });
  assert.equal(first.status, 200);
  const { access_token } = NetworkTokenResponseSchema.parse(await first.json());
  secrets.push(access_token);
  assert.equal((await networkRest(server, 'network.profile.get', access_token)).status, 200);

  const second = await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier });
  assert.equal(second.status, 400);
  assert.equal(((await second.json()) as { error: string }).error, 'invalid_grant');
  const after = await networkRest(server, 'network.profile.get', access_token);
  assert.equal(after.status, 401);
  assert.equal(after.body.error, 'invalid_token');
});

test('a code older than 60 seconds is refused', async () => {
  const { code, redirectUri, pkce } = await authorize();
  clock.advance(61_000);
  const res = await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
});

test('the token exchange needs the exact redirect URI of the authorization request', async () => {
  const { code, pkce } = await authorize({ port: 50000 });
  const res = await exchangeCode(server, { code, redirectUri: redirect(50001), verifier: pkce.verifier });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
});

test('an unregistered redirect URI is shown an error page and never redirected to', async () => {
  const { challenge } = pkcePair();
  for (const redirectUri of [
    'http://127.0.0.1:5000/elsewhere',
    'http://localhost:5000/callback',
    'https://evil.example/callback',
    'http://127.0.0.1:5000/callback/extra',
  ]) {
    const res = await server.fetch(
      `${networkUrl(server)}/oauth/authorize/?${authorizeQuery({ redirectUri, challenge, state: 's' })}`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 400, redirectUri);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /not registered/);
  }
});

test('without PKCE S256 the client is sent back with invalid_request, state and iss', async () => {
  for (const query of [
    authorizeQuery({ redirectUri: redirect(5000), state: 'p1' }),
    authorizeQuery({
      redirectUri: redirect(5000),
      state: 'p1',
      challenge: pkcePair().challenge,
      challengeMethod: 'plain',
    }),
  ]) {
    const res = await server.fetch(`${networkUrl(server)}/oauth/authorize/?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 'p1');
    assert.equal(location.searchParams.get('iss'), networkUrl(server));
    assert.equal(location.searchParams.get('code'), null);
  }
});

test('the desktop cannot ask for what only a portal may (linking accounts)', async () => {
  const query = authorizeQuery({
    redirectUri: redirect(5000),
    state: 'x',
    challenge: pkcePair().challenge,
    scope: 'openid link',
  });
  const res = await server.fetch(`${networkUrl(server)}/oauth/authorize/?${query}`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('error'), 'invalid_scope');
});

test('an unknown client is refused on the page and at the token endpoint', async () => {
  const page = await server.fetch(
    `${networkUrl(server)}/oauth/authorize/?${authorizeQuery({ clientId: 'nobody', redirectUri: redirect(5000), challenge: pkcePair().challenge })}`,
  );
  assert.equal(page.status, 400);
  const token = await exchangeCode(server, {
    clientId: 'nobody',
    code: 'x',
    redirectUri: redirect(5000),
    verifier: 'v',
  });
  assert.equal(token.status, 401);
  assert.equal(token.headers.get('www-authenticate'), 'Basic realm="network"');
  assert.equal(token.headers.get('cache-control'), 'no-store');
  assert.equal(((await token.json()) as { error: string }).error, 'invalid_client');
});

test('a wrong password gives no code, and the page itself is served with the strict UI policy', async () => {
  const { challenge } = pkcePair();
  const { response, location } = await signInAndAuthorize(
    server,
    { redirectUri: redirect(5000), challenge, state: '"><script>alert(1)</script>' },
    { login: '<img src=x onerror=alert(1)>@example.com', password: 'wrong password' },
  );
  assert.equal(response.status, 401);
  assert.equal(location, null);
  assert.deepEqual(await response.json(), { success: false });
  const page = await server.fetch(
    `${networkUrl(server)}/oauth/authorize/?${authorizeQuery({ redirectUri: redirect(5000), challenge })}`,
  );
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.equal(page.headers.get('cache-control'), 'no-store');
});

test('a signed-in browser still has to press Continue before the desktop gets a code', async () => {
  const jar = new CookieJar();
  const { challenge } = pkcePair();
  const first = await signInAndAuthorize(
    server,
    { redirectUri: redirect(5000), challenge },
    { login: 'ann@example.com', password: PASSWORD },
    jar,
  );
  assert.ok(first.location?.searchParams.get('code'));
  const url = `${networkUrl(server)}/oauth/authorize/?${authorizeQuery({ redirectUri: redirect(5001), challenge })}`;
  const again = await server.fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
  assert.equal(again.headers.get('location'), null, 'no code without the person acting');
  const describe = await server.fetch(`${networkUrl(server)}/oauth/authorize/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header() },
    body: JSON.stringify({ ...Object.fromEntries(new URL(url).searchParams), action: 'describe' }),
  });
  const described = NetworkAuthorizeDescriptionSchema.parse(await describe.json());
  assert.equal(described.clientName, 'Portaldesk desktop');
  assert.equal(described.signedInAs?.displayName, 'Ann');
  const sessid = described.signedInAs?.sessid ?? '';

  // Continue without the session's sessid (a forged request) is refused; with it, a code.
  const forged = await consentAt(server, url, 'guess', jar);
  assert.equal(forged.response.status, 403);
  assert.equal(forged.location, null);
  const form = await server.fetch(`${networkUrl(server)}/oauth/authorize/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ ...Object.fromEntries(new URL(url).searchParams), action: 'consent', sessid }),
  });
  assert.equal(form.status, 415, 'a cross-site form cannot consent');
  const pressed = await consentAt(server, url, sessid, jar);
  assert.equal(pressed.location?.origin, 'http://127.0.0.1:5001');
  assert.ok(pressed.location?.searchParams.get('code'));
});

test('revoking the desktop token ends its access to the Network', async () => {
  const { code, redirectUri, pkce } = await authorize();
  const { access_token } = NetworkTokenResponseSchema.parse(
    await (await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier })).json(),
  );
  secrets.push(access_token);
  const revoke = await server.fetch(`${networkUrl(server)}/oauth/revoke/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: access_token, client_id: 'portaldesk-desktop' }).toString(),
  });
  assert.equal(revoke.status, 200);
  assert.equal((await networkRest(server, 'network.profile.get', access_token)).body.error, 'invalid_token');
});

test('no password, code, verifier or token reaches the logs', () => {
  assert.deepEqual(logsContainAny(server, secrets), []);
});
