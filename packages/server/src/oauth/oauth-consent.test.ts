import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  answerConsent,
  authorize,
  consentPage,
  openSession,
  type RegisteredApp,
  registerApp,
  requestToken,
} from '../testing/oauth-fixtures.ts';
import { callRest, createPortalWithUsers, type PortalFixture } from '../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
let acme: PortalFixture;
let app: RegisteredApp;

before(async () => {
  server = await startTestServer();
  acme = await createPortalWithUsers(server, 'acme.localhost', 6);
  app = await registerApp(server, acme.portal, ['user', 'im']);
});
after(() => server.close());

/** A fresh signed-in user of Acme: `n` picks one of the six, so that each test meets the app anew. */
async function person(n: number) {
  const { headers, sessid } = await openSession(server, acme.portal, acme.users[n]!.id);
  return { headers, sessid, userId: acme.users[n]!.id };
}

/** `/oauth/authorize/` opened by a browser (it accepts HTML). */
async function openInBrowser(headers: Record<string, string>, query: Record<string, string>) {
  const url = `${server.portalUrl('acme.localhost')}/oauth/authorize/?${new URLSearchParams(query)}`;
  const res = await server.fetch(url, { headers: { ...headers, accept: 'text/html,*/*' }, redirect: 'manual' });
  const location = res.headers.get('location');
  return {
    status: res.status,
    location: location ? new URL(location) : null,
    html: (res.headers.get('content-type') ?? '').startsWith('text/html') ? await res.text() : '',
    headers: res.headers,
  };
}

const codesIssued = async () =>
  (await server.context.db.query<{ n: number }>('SELECT count(*)::int AS n FROM oauth_authorization_codes'))[0]!.n;
const consentsOf = async (userId: number) =>
  server.context.db.query<{ scopes: string[] }>('SELECT scopes FROM oauth_consents WHERE user_id = $1', [userId]);

test('the first time, a browser gets the consent page: which app asks for what, on which portal, for whom', async () => {
  const ann = await person(0);
  const before = await codesIssued();
  const page = await openInBrowser(ann.headers, { client_id: app.clientId, state: 's1' });
  assert.equal(page.status, 200);
  assert.equal(page.location, null, 'no code without consent');
  assert.match(page.html, /<div id="app">/);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');

  const described = await consentPage(server, acme.portal, ann.headers, {
    client_id: app.clientId,
    state: 's1',
    action: 'describe',
  });
  assert.equal(described.status, 200);
  assert.deepEqual(described.body, {
    app: { name: 'Test app', clientId: app.clientId },
    portal: { name: 'acme.localhost', address: 'acme.localhost' },
    scopes: ['user', 'im'],
    allowedBefore: [],
    signedInAs: { name: 'User1 Tester1', sessid: ann.sessid },
  });
  assert.equal(await codesIssued(), before);
  // A client that is no browser is told why there is no code.
  const json = await authorize(server, acme.portal, ann.headers, { client_id: app.clientId });
  assert.deepEqual([json.status, (json.body as { error: string }).error], [403, 'consent_required']);
});

test('Allow: the app gets a code that works, and the next time the browser goes straight back', async () => {
  const bob = await person(1);
  const redirect = await answerConsent(
    server,
    acme.portal,
    bob.headers,
    { client_id: app.clientId, state: 'st' },
    'allow',
  );
  assert.equal(redirect.origin + redirect.pathname, app.redirectUri);
  assert.equal(redirect.searchParams.get('state'), 'st');
  assert.equal(redirect.searchParams.get('scope'), 'user,im');
  const tokens = await requestToken(server, acme.portal, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code: redirect.searchParams.get('code') ?? '',
  });
  assert.equal(tokens.status, 200);
  const me = await callRest(server, `${server.portalUrl('acme.localhost')}/rest/user.current`, {
    auth: tokens.body.access_token,
  });
  assert.equal((me.body.result as { ID: string }).ID, String(bob.userId));

  const again = await openInBrowser(bob.headers, { client_id: app.clientId, state: 'st2' });
  assert.equal(again.status, 302);
  assert.equal(again.location?.searchParams.get('state'), 'st2');
  assert.ok(again.location?.searchParams.get('code'));
  assert.deepEqual(await consentsOf(bob.userId), [{ scopes: ['im', 'user'] }]);
});

test('asking for more than was allowed brings the page back, showing what is new', async () => {
  const cat = await person(2);
  await answerConsent(server, acme.portal, cat.headers, { client_id: app.clientId, scope: 'user' }, 'allow');
  assert.equal((await openInBrowser(cat.headers, { client_id: app.clientId, scope: 'user' })).status, 302);

  const more = await openInBrowser(cat.headers, { client_id: app.clientId, scope: 'user,im' });
  assert.equal(more.status, 200, 'the page again: im is new');
  const described = await consentPage(server, acme.portal, cat.headers, {
    client_id: app.clientId,
    scope: 'user,im',
    action: 'describe',
  });
  assert.deepEqual([described.body.scopes, described.body.allowedBefore], [['user', 'im'], ['user']]);
  await answerConsent(server, acme.portal, cat.headers, { client_id: app.clientId, scope: 'user,im' }, 'allow');
  assert.equal((await openInBrowser(cat.headers, { client_id: app.clientId, scope: 'im' })).status, 302);
});

test('Deny: the app gets error=access_denied with its state and no code, and nothing is remembered', async () => {
  const dan = await person(3);
  const before = await codesIssued();
  const redirect = await answerConsent(
    server,
    acme.portal,
    dan.headers,
    { client_id: app.clientId, state: 'd' },
    'deny',
  );
  assert.equal(redirect.origin + redirect.pathname, app.redirectUri);
  assert.equal(redirect.searchParams.get('error'), 'access_denied');
  assert.equal(redirect.searchParams.get('state'), 'd');
  assert.equal(redirect.searchParams.get('code'), null);
  assert.equal(await codesIssued(), before);
  assert.deepEqual(await consentsOf(dan.userId), []);
  assert.equal((await openInBrowser(dan.headers, { client_id: app.clientId })).status, 200, 'asked again');
});

test('Allow and Deny need the session and its sessid; a form from another site cannot answer', async () => {
  const eve = await person(4);
  const fay = await person(5);
  const query = { client_id: app.clientId };
  for (const [headers, sessid] of [
    [eve.headers, undefined],
    [eve.headers, 'f'.repeat(32)],
    [eve.headers, fay.sessid],
    [{}, eve.sessid],
  ] as const) {
    for (const action of ['allow', 'deny']) {
      const answer = await consentPage(server, acme.portal, headers, {
        ...query,
        action,
        ...(sessid ? { sessid } : {}),
      });
      assert.deepEqual([answer.status, answer.body.error, answer.redirect], [403, 'INVALID_CSRF', null]);
    }
  }
  const form = await server.fetch(`${server.portalUrl('acme.localhost')}/oauth/authorize/`, {
    method: 'POST',
    headers: { ...eve.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...query, action: 'allow', sessid: eve.sessid }).toString(),
  });
  assert.equal(form.status, 415);
  assert.deepEqual(await consentsOf(eve.userId), []);
  assert.equal((await openInBrowser(eve.headers, query)).status, 200);
});

test('signed out, a browser gets the page to sign in first; describe names nobody', async () => {
  const page = await openInBrowser({}, { client_id: app.clientId });
  assert.equal(page.status, 200);
  const described = await consentPage(server, acme.portal, {}, { client_id: app.clientId, action: 'describe' });
  assert.equal(described.body.signedInAs, null);
  const json = await authorize(server, acme.portal, {}, { client_id: app.clientId });
  assert.deepEqual([json.status, (json.body as { error: string }).error], [401, 'login_required']);
});

test('a request the portal cannot answer is shown, never sent on: to the page and in JSON', async () => {
  const ann = await person(0);
  for (const [query, status, error] of [
    [{ client_id: 'local.nope.1' }, 401, 'invalid_client'],
    [{ client_id: app.clientId, redirect_uri: 'https://evil.example.com/cb' }, 400, 'invalid_request'],
    [{ client_id: app.clientId, scope: 'user,crm' }, 400, 'invalid_scope'],
  ] as const) {
    const page = await openInBrowser(ann.headers, query);
    assert.deepEqual([page.status, page.location], [status, null], JSON.stringify(query));
    assert.match(page.html, /<div id="app">/);
    const described = await consentPage(server, acme.portal, ann.headers, { ...query, action: 'describe' });
    assert.deepEqual([described.status, described.body.error], [status, error]);
    const allowed = await consentPage(server, acme.portal, ann.headers, {
      ...query,
      action: 'allow',
      sessid: ann.sessid,
    });
    assert.deepEqual([allowed.status, allowed.redirect], [status, null]);
  }
});
