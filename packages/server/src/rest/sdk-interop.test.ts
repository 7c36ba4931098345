import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { B24Hook, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk';
import { manualClock } from '../clock/clock.ts';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import { trustForNodeHttps, trustingAgent } from '../testing/localhost-https.ts';
import { authorizeAllowing, registerApp, requestToken, signIn } from '../testing/oauth-fixtures.ts';
import { createPortalWithUsers, type PortalFixture } from '../testing/rest-fixtures.ts';
import { createTestCertificates, type TestCertificates } from '../testing/test-certificates.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// The official SDK (`@bitrix24/b24jssdk`) as a real client over https, trusting a test CA.
const clock = manualClock(new Date());
let certificates: TestCertificates;
let server: TestServer;
let acme: PortalFixture;
let untrust: () => void;

before(async () => {
  certificates = await createTestCertificates(['acme.localhost']);
  server = await startTestServer({
    clock,
    config: { tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } },
  });
  const agent = trustingAgent(certificates.caCert);
  server = { ...server, fetch: (url, init = {}) => localhostFetch(url, { ...init, dispatcher: agent }) };
  untrust = trustForNodeHttps(certificates.caCert);
  acme = await createPortalWithUsers(server, 'acme.localhost', 55);
});
after(async () => {
  untrust();
  await server.close();
  await certificates.remove();
});

test('the server speaks TLS with the configured certificate, which an untrusting client refuses', async () => {
  const url = `${server.portalUrl('acme.localhost')}/rest/server.time`;
  assert.ok(url.startsWith('https://'));
  assert.equal((await server.fetch(url)).status, 401);
  await assert.rejects(localhostFetch(url), 'a client that does not trust the test CA refuses the certificate');
});

test('SDK over an https webhook: user.current, user.get with paging, and batch with references', async () => {
  const me = acme.users[0]!;
  const created = await server.context.webhooks.create({ portalId: acme.portal.id, userId: me.id, scopes: ['user'] });
  const b24 = B24Hook.fromWebhookUrl(`${server.portalUrl('acme.localhost')}/rest/${me.id}/${created.secret}`);
  b24.offClientSideWarning();

  const current = await b24.actions.v2.call.make<{ ID: string; NAME: string }>({ method: 'user.current' });
  assert.ok(current.isSuccess, current.getErrorMessages().join('; '));
  assert.equal(current.getData()!.result.ID, String(me.id));
  assert.equal(current.getData()!.result.NAME, 'User1');

  const page = await b24.actions.v2.call.make<{ ID: string }[]>({ method: 'user.get', params: { start: 50 } });
  assert.ok(page.isSuccess);
  assert.equal(page.getData()!.result.length, 5);
  assert.equal(page.getTotal(), 55);

  const all = await b24.actions.v2.callList.make<{ ID: string }>({ method: 'user.get', params: {}, idKey: 'ID' });
  assert.ok(all.isSuccess, all.getErrorMessages().join('; '));
  assert.equal(all.getData()!.length, 55);

  const batch = await b24.actions.v2.batch.make({
    calls: {
      me: { method: 'user.current', params: {} },
      same: { method: 'user.get', params: { FILTER: { ID: '$result[me][ID]' } } },
    },
    options: { isHaltOnError: true },
  });
  assert.ok(batch.isSuccess, batch.getErrorMessages().join('; '));
  const results = batch.getData() as { me: { ID: string }; same: { ID: string }[] };
  assert.equal(results.me.ID, String(me.id));
  assert.deepEqual(
    results.same.map((u) => u.ID),
    [String(me.id)],
  );
});

test('SDK over OAuth tokens: calls, then refreshes when the token expires, and goes on', async () => {
  const user = acme.users[1]!;
  const app = await registerApp(server, acme.portal, ['user']);
  const session = await signIn(server, acme.portal, user.id);
  const location = await authorizeAllowing(server, acme.portal, session, { client_id: app.clientId });
  const { body: tokens } = await requestToken(server, acme.portal, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code: location.searchParams.get('code')!,
  });
  assert.equal(tokens.client_endpoint, `https://acme.localhost:${server.port}/rest/`);

  const refreshed: string[] = [];
  const b24 = new B24OAuth(
    {
      applicationToken: '',
      userId: tokens.user_id,
      memberId: tokens.member_id,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expires: tokens.expires,
      expiresIn: tokens.expires_in,
      scope: tokens.scope,
      domain: tokens.domain,
      clientEndpoint: tokens.client_endpoint,
      serverEndpoint: tokens.server_endpoint,
      status: EnumAppStatus.Local,
    },
    { clientId: app.clientId, clientSecret: app.clientSecret },
  );
  b24.offClientSideWarning();
  b24.setCallbackRefreshAuth(async ({ authData }) => {
    if (authData) refreshed.push(authData.access_token);
  });

  const first = await b24.actions.v2.call.make<{ ID: string }>({ method: 'user.current' });
  assert.ok(first.isSuccess, first.getErrorMessages().join('; '));
  assert.equal(first.getData()!.result.ID, String(user.id));

  // The server's hour passes; the SDK gets 401 expired_token, refreshes by form POST, retries.
  clock.advance(3_601_000);
  const second = await b24.actions.v2.call.make<{ ID: string }[]>({ method: 'user.get', params: { ID: user.id } });
  assert.ok(second.isSuccess, second.getErrorMessages().join('; '));
  assert.deepEqual(
    second.getData()!.result.map((u) => u.ID),
    [String(user.id)],
  );
  assert.equal(refreshed.length, 1, 'exactly one refresh');
  assert.notEqual(refreshed[0], tokens.access_token);

  const batch = await b24.actions.v2.batch.make({
    calls: [
      ['user.current', {}],
      ['server.time', {}],
    ],
    options: { isHaltOnError: true },
  });
  assert.ok(batch.isSuccess, batch.getErrorMessages().join('; '));
  // The refreshed pair works; the spent refresh token is refused.
  const reuse = await requestToken(server, acme.portal, {
    grant_type: 'refresh_token',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    refresh_token: tokens.refresh_token,
  });
  assert.equal(reuse.body.error, 'invalid_grant');
});
