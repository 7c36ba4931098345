import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminAppView, AdminAppWithSecret } from '@portaldesk/protocol';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword, leakedSecrets } from '../../testing/auth-fixtures.ts';
import { authorizeAllowing, requestToken } from '../../testing/oauth-fixtures.ts';
import { callRest } from '../../testing/rest-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

let server: TestServer;
let acme: Portal;
let admin: TestDesktop;
let member: TestDesktop;
let globexAdmin: TestDesktop;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  const person = async (portal: Portal, username: string, isAdmin: boolean) => {
    const password = `${username} password`;
    await createUserWithPassword(
      server,
      portal.id,
      { firstName: username, lastName: 'Test', username, isAdmin },
      password,
    );
    const desktop = new TestDesktop(server, portal.domain);
    assert.equal((await desktop.signIn(username, password)).status, 200);
    return desktop;
  };
  admin = await person(acme, 'ada', true);
  member = await person(acme, 'max', false);
  globexAdmin = await person(globex, 'gil', true);
});
after(() => server.close());

const NEW_APP = {
  NAME: 'Reports',
  REDIRECT_URI: ['https://reports.example.com/callback', 'http://127.0.0.1:8400/cb'],
  SCOPE: ['user', 'im'],
};

const ok = async <T>(desktop: TestDesktop, method: string, params: Record<string, unknown> = {}) => {
  const reply = await desktop.rest(method, params);
  assert.equal(reply.status, 200, `${method}: ${JSON.stringify(reply.body)}`);
  return reply.body.result as T;
};
const failure = async (desktop: TestDesktop, method: string, params: Record<string, unknown> = {}) => {
  const reply = await desktop.rest(method, params);
  return { status: reply.status, error: reply.body.error };
};
const acmeApps = () => ok<AdminAppView[]>(admin, 'portaldesk.admin.app.list');
const register = (params: Record<string, unknown> = NEW_APP) =>
  ok<AdminAppWithSecret>(admin, 'portaldesk.admin.app.add', params);

/** Signs the member in to `app` as a browser would (Allow on the consent page) and exchanges the code. */
async function tokensFor(clientId: string, clientSecret: string) {
  const location = await authorizeAllowing(server, acme, member.cookieHeader(), { client_id: clientId });
  return requestToken(server, acme, {
    grant_type: 'authorization_code',
    client_id: clientId,
    client_secret: clientSecret,
    code: location.searchParams.get('code') ?? '',
  });
}
const refresh = (clientId: string, clientSecret: string, refreshToken: string) =>
  requestToken(server, acme, {
    grant_type: 'refresh_token',
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken,
  });
const profileWith = async (accessToken: string) =>
  (await callRest(server, `${server.portalUrl('acme.localhost')}/rest/profile`, { auth: accessToken })).status;

describe('who may administer applications', () => {
  test('a member who is no administrator is refused every method, and nothing changes', async () => {
    const { app } = await register();
    for (const [method, params] of [
      ['portaldesk.admin.app.list', {}],
      ['portaldesk.admin.app.add', NEW_APP],
      ['portaldesk.admin.app.secret.rotate', { CLIENT_ID: app.clientId }],
      ['portaldesk.admin.app.delete', { CLIENT_ID: app.clientId }],
    ] as const) {
      assert.deepEqual(await failure(member, method, params), { status: 403, error: 'ACCESS_DENIED' }, method);
    }
    const noCsrf = await admin.rest('portaldesk.admin.app.delete', { CLIENT_ID: app.clientId }, { withSessid: false });
    assert.deepEqual([noCsrf.status, noCsrf.body.error], [403, 'INVALID_CSRF']);
    assert.deepEqual(
      (await acmeApps()).filter((a) => a.clientId === app.clientId),
      [app],
    );
    await ok(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: app.clientId });
  });

  test("another portal's administrator can neither see nor touch an app, which keeps working", async () => {
    const { app, clientSecret } = await register();
    assert.deepEqual(await ok(globexAdmin, 'portaldesk.admin.app.list'), []);
    for (const method of ['portaldesk.admin.app.secret.rotate', 'portaldesk.admin.app.delete']) {
      assert.deepEqual(await failure(globexAdmin, method, { CLIENT_ID: app.clientId }), {
        status: 404,
        error: 'NOT_FOUND',
      });
    }
    assert.equal((await tokensFor(app.clientId, clientSecret)).status, 200);
    await ok(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: app.clientId });
  });
});

describe('applications', () => {
  test('registered with name, redirect URIs and scopes; client id and secret answered once; it signs users in', async () => {
    const created = await register({ ...NEW_APP, NAME: ' Reports ', SCOPE: ['user', 'IM', 'user'] });
    assert.match(created.app.clientId, /^local\.[0-9a-f]{14}\.\d{8}$/);
    assert.ok(created.clientSecret.length >= 40);
    assert.deepEqual(
      { ...created.app, clientId: '', createdAt: '' },
      {
        clientId: '',
        createdAt: '',
        name: 'Reports',
        redirectUris: NEW_APP.REDIRECT_URI,
        scopes: ['user', 'im'],
        secretRotatedAt: null,
      },
    );
    const listed = await acmeApps();
    assert.deepEqual(listed, [created.app]);
    assert.ok(!JSON.stringify(listed).includes(created.clientSecret));
    const stored = JSON.stringify(await server.context.db.query('SELECT * FROM oauth_apps'));
    assert.ok(!stored.includes(created.clientSecret), 'only a digest of the secret is stored');

    const tokens = await tokensFor(created.app.clientId, created.clientSecret);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.scope, 'user,im');
    assert.equal(await profileWith(tokens.body.access_token), 200);
    assert.deepEqual(leakedSecrets(server, [created.clientSecret, tokens.body.access_token]), []);
    await ok(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: created.app.clientId });
  });

  test('a rotated secret replaces the old one at once; tokens already issued keep working', async () => {
    const { app, clientSecret: old } = await register();
    const tokens = (await tokensFor(app.clientId, old)).body;
    const rotated = await ok<AdminAppWithSecret>(admin, 'portaldesk.admin.app.secret.rotate', {
      CLIENT_ID: app.clientId,
    });
    assert.notEqual(rotated.clientSecret, old);
    assert.equal(rotated.app.clientId, app.clientId);
    assert.ok(rotated.app.secretRotatedAt);
    assert.deepEqual(
      (await acmeApps()).find((a) => a.clientId === app.clientId),
      rotated.app,
    );

    const withOld = await refresh(app.clientId, old, tokens.refresh_token);
    assert.deepEqual([withOld.status, withOld.body.error], [401, 'invalid_client']);
    const codeWithOld = await tokensFor(app.clientId, old);
    assert.deepEqual([codeWithOld.status, codeWithOld.body.error], [401, 'invalid_client']);
    assert.equal(await profileWith(tokens.access_token), 200);
    const withNew = await refresh(app.clientId, rotated.clientSecret, tokens.refresh_token);
    assert.equal(withNew.status, 200);
    assert.deepEqual(leakedSecrets(server, [old, rotated.clientSecret]), []);
    await ok(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: app.clientId });
  });

  test('a deleted app is gone: its tokens stop, its client id is unknown, it leaves the list', async () => {
    const { app, clientSecret } = await register();
    const tokens = (await tokensFor(app.clientId, clientSecret)).body;
    assert.equal(await profileWith(tokens.access_token), 200);
    assert.equal(await ok(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: app.clientId }), true);
    assert.equal(await profileWith(tokens.access_token), 401);
    const refreshed = await refresh(app.clientId, clientSecret, tokens.refresh_token);
    assert.deepEqual([refreshed.status, refreshed.body.error], [401, 'invalid_client']);
    const authorizeAgain = await authorizeAllowing(server, acme, member.cookieHeader(), {
      client_id: app.clientId,
    }).catch((error: Error) => error.message);
    assert.match(String(authorizeAgain), /invalid_client/);
    assert.ok(!(await acmeApps()).some((a) => a.clientId === app.clientId));
    assert.deepEqual(await failure(admin, 'portaldesk.admin.app.delete', { CLIENT_ID: app.clientId }), {
      status: 404,
      error: 'NOT_FOUND',
    });
  });

  test('bad registrations are refused in the REST envelope, and nothing is registered', async () => {
    const before = await acmeApps();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...NEW_APP, NAME: '' }, 'INVALID_ARG_VALUE'],
      [{ ...NEW_APP, NAME: 'x'.repeat(101) }, 'INVALID_ARG_VALUE'],
      [{ ...NEW_APP, REDIRECT_URI: [] }, 'INVALID_ARG_VALUE'],
      [{ ...NEW_APP, REDIRECT_URI: ['not a url'] }, 'ERROR_ARGUMENT'],
      [{ ...NEW_APP, REDIRECT_URI: ['http://reports.example.com/cb'] }, 'ERROR_ARGUMENT'],
      [{ ...NEW_APP, REDIRECT_URI: ['https://reports.example.com/cb#top'] }, 'ERROR_ARGUMENT'],
      [
        { ...NEW_APP, REDIRECT_URI: Array.from({ length: 11 }, (_, i) => `https://a.example.com/${i}`) },
        'INVALID_ARG_VALUE',
      ],
      [{ ...NEW_APP, SCOPE: [] }, 'INVALID_ARG_VALUE'],
      [{ ...NEW_APP, SCOPE: ['crm'] }, 'ERROR_ARGUMENT'],
      [{ ...NEW_APP, SCOPE: ['User Scope'] }, 'INVALID_ARG_VALUE'],
    ];
    for (const [params, error] of cases) {
      assert.deepEqual(
        await failure(admin, 'portaldesk.admin.app.add', params),
        { status: 400, error },
        JSON.stringify(params),
      );
    }
    assert.deepEqual(await acmeApps(), before);
  });
});
