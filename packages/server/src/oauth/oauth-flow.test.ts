import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { manualClock } from '../clock/clock.ts';
import {
  authorize,
  authorizeAllowing,
  pkcePair,
  type RegisteredApp,
  registerApp,
  requestToken,
  signIn,
} from '../testing/oauth-fixtures.ts';
import { callRest, createPortalWithUsers, type PortalFixture } from '../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const clock = manualClock(new Date());
let server: TestServer;
let acme: PortalFixture;
let globex: PortalFixture;
let app: RegisteredApp;
let session: Record<string, string>;

before(async () => {
  server = await startTestServer({ clock });
  acme = await createPortalWithUsers(server, 'acme.localhost', 3);
  globex = await createPortalWithUsers(server, 'globex.localhost', 1);
  app = await registerApp(server, acme.portal, ['user', 'im']);
  session = await signIn(server, acme.portal, acme.users[1]!.id);
});
after(() => server.close());

function getCode(query: Record<string, string> = {}, headers = session) {
  return authorizeAllowing(server, acme.portal, headers, { client_id: app.clientId, ...query });
}

function exchange(code: string, extra: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST') {
  return requestToken(
    server,
    acme.portal,
    { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code, ...extra },
    method,
  );
}

function refresh(refreshToken: string) {
  return requestToken(server, acme.portal, {
    grant_type: 'refresh_token',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    refresh_token: refreshToken,
  });
}

const restUrl = (method: string) => `${server.portalUrl('acme.localhost')}/rest/${method}`;

test('authorize redirects with code, state, domain, member_id, scope and server_domain', async () => {
  const location = await getCode({ state: 'xyz 1' });
  assert.equal(location.origin + location.pathname, app.redirectUri);
  const p = location.searchParams;
  assert.ok(p.get('code'));
  assert.equal(p.get('state'), 'xyz 1');
  assert.equal(p.get('domain'), `acme.localhost:${server.port}`);
  assert.equal(p.get('member_id'), acme.portal.memberId);
  assert.equal(p.get('scope'), 'user,im');
  assert.equal(p.get('server_domain'), `acme.localhost:${server.port}`);
});

test('code → tokens with every Bitrix24 field, then REST calls as the user', async () => {
  const code = (await getCode()).searchParams.get('code')!;
  const { status, body } = await exchange(code, {}, 'GET');
  assert.equal(status, 200);
  assert.equal(body.expires_in, 3600);
  assert.equal(body.expires, Math.floor(clock.now().getTime() / 1000) + 3600);
  assert.equal(body.client_endpoint, `http://acme.localhost:${server.port}/rest/`);
  assert.equal(body.server_endpoint, `http://acme.localhost:${server.port}/rest/`);
  assert.equal(body.member_id, acme.portal.memberId);
  assert.equal(body.scope, 'user,im');
  assert.equal(body.status, 'L');
  assert.equal(body.user_id, acme.users[1]!.id);
  assert.equal(body.domain, `acme.localhost:${server.port}`);
  assert.notEqual(body.access_token, body.refresh_token);
  const me = await callRest(server, restUrl('user.current'), { auth: body.access_token });
  assert.equal(me.status, 200);
  assert.equal((me.body.result as { ID: string }).ID, String(acme.users[1]!.id));
  // In the query string too, and through the SDK's double slash.
  const viaQuery = await server.fetch(`${server.portalUrl('acme.localhost')}/rest//profile?auth=${body.access_token}`);
  assert.equal(viaQuery.status, 200);
});

test('a narrower scope may be asked for; scopes are enforced with insufficient_scope', async () => {
  const location = await getCode({ scope: 'im' });
  assert.equal(location.searchParams.get('scope'), 'im');
  const { body } = await exchange(location.searchParams.get('code')!);
  const refused = await callRest(server, restUrl('user.current'), { auth: body.access_token });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'insufficient_scope');
  assert.equal((await callRest(server, restUrl('profile'), { auth: body.access_token })).status, 200);
  assert.deepEqual((await callRest(server, restUrl('scope'), { auth: body.access_token })).body.result, ['im']);
});

test('a scope the app is not registered for is refused without a redirect', async () => {
  const answer = await authorize(server, acme.portal, session, { client_id: app.clientId, scope: 'user,crm' });
  assert.equal(answer.status, 400);
  assert.equal(answer.location, null);
  assert.equal((answer.body as { error: string }).error, 'invalid_scope');
});

test('PKCE S256: the right verifier works, a wrong one fails and spends the code', async () => {
  const good = pkcePair();
  const code = (await getCode({ code_challenge: good.challenge, code_challenge_method: 'S256' })).searchParams.get(
    'code',
  )!;
  assert.equal((await exchange(code, { code_verifier: good.verifier })).status, 200);

  const other = pkcePair();
  const code2 = (await getCode({ code_challenge: good.challenge, code_challenge_method: 'S256' })).searchParams.get(
    'code',
  )!;
  const wrong = await exchange(code2, { code_verifier: other.verifier });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, 'invalid_grant');
  const retried = await exchange(code2, { code_verifier: good.verifier });
  assert.equal(retried.body.error, 'invalid_grant', 'a wrong guess spends the code');

  const code3 = (await getCode({ code_challenge: good.challenge, code_challenge_method: 'S256' })).searchParams.get(
    'code',
  )!;
  assert.equal((await exchange(code3)).body.error, 'invalid_grant', 'a verifier is required');
});

test('plain PKCE is refused', async () => {
  const answer = await authorize(server, acme.portal, session, {
    client_id: app.clientId,
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'plain',
  });
  assert.equal(answer.status, 400);
  assert.equal(answer.location, null);
});

test('a reused code is refused and revokes the tokens issued for it', async () => {
  const code = (await getCode()).searchParams.get('code')!;
  const first = await exchange(code);
  assert.equal((await callRest(server, restUrl('profile'), { auth: first.body.access_token })).status, 200);
  const second = await exchange(code);
  assert.equal(second.status, 400);
  assert.equal(second.body.error, 'invalid_grant');
  const revoked = await callRest(server, restUrl('profile'), { auth: first.body.access_token });
  assert.equal(revoked.status, 401);
  assert.equal(revoked.body.error, 'invalid_token');
  assert.equal((await refresh(first.body.refresh_token)).body.error, 'invalid_grant');
});

test('an unregistered redirect_uri is refused on the portal, never redirected to', async () => {
  const answer = await authorize(server, acme.portal, session, {
    client_id: app.clientId,
    redirect_uri: 'https://evil.example.com/callback',
  });
  assert.equal(answer.status, 400);
  assert.equal(answer.location, null);
  assert.equal((answer.body as { error: string }).error, 'invalid_request');
});

test('the token request must repeat the redirect_uri the authorization named', async () => {
  const code = (await getCode({ redirect_uri: app.redirectUri })).searchParams.get('code')!;
  const mismatch = await exchange(code, { redirect_uri: 'https://app.example.com/other' });
  assert.equal(mismatch.body.error, 'invalid_grant');
  const code2 = (await getCode({ redirect_uri: app.redirectUri })).searchParams.get('code')!;
  assert.equal((await exchange(code2, { redirect_uri: app.redirectUri })).status, 200);
});

test('an unknown client or a wrong secret is invalid_client with 401', async () => {
  const unknown = await authorize(server, acme.portal, session, { client_id: 'local.nope.1' });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.location, null);
  const code = (await getCode()).searchParams.get('code')!;
  const wrong = await exchange(code, { client_secret: `${app.clientSecret}x` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_client');
});

test('an expired code is refused', async () => {
  const code = (await getCode()).searchParams.get('code')!;
  clock.advance(31_000);
  assert.equal((await exchange(code)).body.error, 'invalid_grant');
});

test('refresh rotates the pair; reusing an old refresh token revokes the whole family', async () => {
  const first = (await exchange((await getCode()).searchParams.get('code')!)).body;
  const second = await refresh(first.refresh_token);
  assert.equal(second.status, 200);
  assert.notEqual(second.body.refresh_token, first.refresh_token);
  assert.equal(second.body.user_id, acme.users[1]!.id);
  assert.equal((await callRest(server, restUrl('profile'), { auth: second.body.access_token })).status, 200);
  const reuse = await refresh(first.refresh_token);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.body.error, 'invalid_grant');
  assert.equal((await callRest(server, restUrl('profile'), { auth: second.body.access_token })).status, 401);
  assert.equal((await refresh(second.body.refresh_token)).body.error, 'invalid_grant');
});

test('an expired access token is expired_token with 401; refreshing gives a working one', async () => {
  const tokens = (await exchange((await getCode()).searchParams.get('code')!)).body;
  clock.advance(3_600_000);
  const expired = await callRest(server, restUrl('profile'), { auth: tokens.access_token });
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, {
    error: 'expired_token',
    error_description: 'The access token provided has expired',
  });
  const renewed = await refresh(tokens.refresh_token);
  assert.equal((await callRest(server, restUrl('profile'), { auth: renewed.body.access_token })).status, 200);
});

test('a made-up token is invalid_token with 401', async () => {
  const { status, body } = await callRest(server, restUrl('profile'), { auth: 'nonsense' });
  assert.equal(status, 401);
  assert.equal(body.error, 'invalid_token');
});

test('tokens, codes and apps of portal A are refused on portal B', async () => {
  const code = (await getCode()).searchParams.get('code')!;
  const onB = await requestToken(server, globex.portal, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code,
  });
  assert.equal(onB.body.error, 'invalid_client');
  const tokens = (await exchange(code)).body;
  const call = await callRest(server, `${server.portalUrl('globex.localhost')}/rest/profile`, {
    auth: tokens.access_token,
  });
  assert.equal(call.status, 401);
  assert.equal(call.body.error, 'invalid_token');
  const authorizeOnB = await authorize(server, globex.portal, session, { client_id: app.clientId });
  assert.equal(authorizeOnB.location, null);
});

test('authorize needs a signed-in user of the portal', async () => {
  const answer = await authorize(server, acme.portal, {}, { client_id: app.clientId });
  assert.equal(answer.location, null);
  assert.equal(answer.status, 401);
});

test('a deactivated user can no longer use or refresh tokens', async () => {
  const leaver = acme.users[2]!;
  const leaverSession = await signIn(server, acme.portal, leaver.id);
  const tokens = (await exchange((await getCode({}, leaverSession)).searchParams.get('code')!)).body;
  await server.context.users.setActive(acme.portal.id, leaver.id, false);
  assert.equal((await callRest(server, restUrl('profile'), { auth: tokens.access_token })).status, 403);
  assert.equal((await refresh(tokens.refresh_token)).body.error, 'invalid_grant');
});

test('malformed token requests are invalid_request and change nothing', async () => {
  const count = async () =>
    (await server.context.db.query<{ n: number }>('SELECT count(*)::int AS n FROM oauth_tokens'))[0]!.n;
  const before = await count();
  for (const params of [
    {},
    { grant_type: 'password' },
    { grant_type: 'authorization_code', client_id: app.clientId },
  ]) {
    const { status, body } = await requestToken(server, acme.portal, params as Record<string, string>);
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_request');
  }
  const json = await server.fetch(`${server.portalUrl('acme.localhost')}/oauth/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"grant_type":',
  });
  assert.equal(json.status, 400);
  assert.equal(await count(), before);
});

test('only digests of tokens, codes and secrets are stored, and none reaches the logs', async () => {
  const code = (await getCode()).searchParams.get('code')!;
  const tokens = (await exchange(code, {}, 'GET')).body;
  await server.fetch(`${server.portalUrl('acme.localhost')}/rest/profile?auth=${tokens.access_token}`);
  await refresh(tokens.refresh_token);
  const secrets = [code, tokens.access_token, tokens.refresh_token, app.clientSecret];
  const tables = ['oauth_apps', 'oauth_authorization_codes', 'oauth_tokens', 'oauth_token_families'];
  for (const table of tables) {
    const dump = JSON.stringify(await server.context.db.query(`SELECT * FROM ${table}`));
    for (const secret of secrets) assert.ok(!dump.includes(secret), `${table} holds a secret`);
  }
  for (const secret of secrets) assert.ok(!server.logs.some((line) => line.includes(secret)), 'a secret was logged');
});
