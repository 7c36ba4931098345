import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  authorizeAllowing,
  createPortalWithUsers,
  openSession,
  type PortalFixture,
  registerApp,
  requestToken,
  startTestServer,
  type TestServer,
} from '@portaldesk/server/testing';
import type { FetchLike } from './fetch-like.ts';
import { RestCallError } from './rest-call-error.ts';
import { RestClient } from './rest-client.ts';

// The one REST caller against a real server: both ways of authenticating, the documented errors,
// and the official SDK's retry policy (waits recorded instead of slept).

let server: TestServer;
let acme: PortalFixture;
let base: string;
const calls: string[] = [];
let fetch: FetchLike;
/** An OAuth access token of the second user. */
let accessToken: string;

before(async () => {
  server = await startTestServer();
  acme = await createPortalWithUsers(server, 'acme.localhost', 2);
  base = server.portalUrl('acme.localhost');
  fetch = (url, init) => {
    calls.push(url);
    return server.fetch(url, init);
  };
  const app = await registerApp(server, acme.portal, ['user']);
  const session = await openSession(server, acme.portal, acme.users[1]!.id);
  const location = await authorizeAllowing(server, acme.portal, session.headers, { client_id: app.clientId });
  const token = await requestToken(server, acme.portal, {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code: location.searchParams.get('code') ?? '',
  });
  accessToken = token.body.access_token;
});
after(() => server.close());

function recordedSleeps(): { waits: number[]; sleep(ms: number): Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

test('a session call sends the cookie and the CSRF header, and may change data', async () => {
  const session = await openSession(server, acme.portal, acme.users[0]!.id);
  const rest = new RestClient({
    fetch,
    baseUrl: base,
    authentication: { kind: 'session', sessid: () => session.sessid, cookie: () => session.headers.cookie! },
  });
  const me = await rest.call<{ ID: string }>('user.current');
  assert.equal(me.ID, String(acme.users[0]!.id));
  const messageId = await rest.call<number>('im.message.add', { DIALOG_ID: acme.users[1]!.id, MESSAGE: 'hello' });
  assert.ok(messageId > 0);
});

test('a session call without the CSRF token may read but not change data (INVALID_CSRF, not retried)', async () => {
  const session = await openSession(server, acme.portal, acme.users[0]!.id);
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    fetch,
    baseUrl: base,
    authentication: { kind: 'session', sessid: () => null, cookie: () => session.headers.cookie! },
    sleep: sleeps.sleep,
  });
  assert.ok(await rest.call('user.current'));
  await assert.rejects(rest.call('im.message.add', { DIALOG_ID: acme.users[1]!.id, MESSAGE: 'x' }), {
    code: 'INVALID_CSRF',
    status: 403,
  });
  assert.deepEqual(sleeps.waits, []);
});

test('an OAuth access token goes as `auth` in the body, never in the address', async () => {
  const rest = new RestClient({ fetch, baseUrl: base, authentication: { kind: 'token', token: () => accessToken } });
  calls.length = 0;
  const me = await rest.call<{ ID: string }>('user.current');
  assert.equal(me.ID, String(acme.users[1]!.id));
  assert.ok(calls.every((url) => !url.includes(accessToken)));
});

test('refused calls are RestCallErrors with the documented code; 401 is not retried, the app is told once', async () => {
  const unauthorized: RestCallError[] = [];
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    fetch,
    baseUrl: base,
    authentication: { kind: 'token', token: () => 'not-a-token' },
    onUnauthorized: (error) => unauthorized.push(error),
    sleep: sleeps.sleep,
  });
  calls.length = 0;
  await assert.rejects(rest.call('user.current'), (error: unknown) => {
    assert.ok(error instanceof RestCallError);
    assert.ok(error.isUnauthorized);
    assert.match(error.code, /^(invalid_token|NO_AUTH_FOUND|expired_token)$/);
    return true;
  });
  assert.equal(calls.length, 1);
  assert.equal(unauthorized.length, 1);
  assert.deepEqual(sleeps.waits, []);
});

test('a 401 is answered by signing in again once, then the call goes through', async () => {
  const session = await openSession(server, acme.portal, acme.users[0]!.id);
  let current = { cookie: 'portaldesk_session=gone', sessid: 'gone' };
  let renewed = 0;
  const rest = new RestClient({
    fetch,
    baseUrl: base,
    authentication: { kind: 'session', sessid: () => current.sessid, cookie: () => current.cookie },
    reauthenticate: async () => {
      renewed++;
      current = { cookie: session.headers.cookie!, sessid: session.sessid };
    },
  });
  assert.ok(await rest.call('user.current'));
  assert.equal(renewed, 1);
});

test('rate limited (QUERY_LIMIT_EXCEEDED, 503): waits as the SDK does (1.5 s, then × 1.5) between three attempts', async () => {
  const limiter = server.context.restRateLimiter.settings;
  const saved = { burst: limiter.burst, drainPerSecond: limiter.drainPerSecond };
  limiter.burst = 1;
  limiter.drainPerSecond = 0.001;
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    fetch,
    baseUrl: base,
    authentication: { kind: 'token', token: () => accessToken },
    sleep: sleeps.sleep,
  });
  try {
    // The earlier tests spent the bucket of one request.
    await assert.rejects(rest.call('user.current'), { code: 'QUERY_LIMIT_EXCEEDED', status: 503 });
    assert.deepEqual(sleeps.waits, [1_500, 2_250], 'three attempts in all, as the SDK makes');
  } finally {
    Object.assign(limiter, saved);
  }
});

test('an unreachable server is a network error, tried three times with growing, jittered waits', async () => {
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    fetch,
    baseUrl: 'http://127.0.0.1:1',
    authentication: { kind: 'session', sessid: () => 'x' },
    sleep: sleeps.sleep,
    random: () => 1,
  });
  await assert.rejects(rest.call('server.time'), { code: 'NETWORK_ERROR', status: 0 });
  assert.equal(sleeps.waits.length, 2);
  assert.ok(sleeps.waits[0]! >= 900 && sleeps.waits[0]! <= 1_100);
  assert.ok(sleeps.waits[1]! >= 1_800 && sleeps.waits[1]! <= 2_200);
});

test('an answer that is not a REST envelope is an error, not a result, and not retried', async () => {
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => '<html></html>' }),
    authentication: { kind: 'session', sessid: () => null },
    sleep: sleeps.sleep,
  });
  await assert.rejects(rest.call('user.current'), { code: 'INVALID_RESPONSE' });
  assert.deepEqual(sleeps.waits, []);
});

test('an answer lost on the way back is tried again; with its TEMPLATE_ID the message is posted once', async () => {
  const session = await openSession(server, acme.portal, acme.users[0]!.id);
  let lost = 0;
  const sleeps = recordedSleeps();
  const rest = new RestClient({
    // The first send reaches the server, and its answer is lost on the way back.
    fetch: async (url, init) => {
      const response = await server.fetch(url, init);
      if (url.includes('im.message.add') && lost++ === 0) throw new TypeError('connection reset');
      return response;
    },
    baseUrl: base,
    authentication: { kind: 'session', sessid: () => session.sessid, cookie: () => session.headers.cookie! },
    sleep: sleeps.sleep,
  });
  const text = `once ${Date.now()}`;
  const id = await rest.call<number>('im.message.add', {
    DIALOG_ID: acme.users[1]!.id,
    MESSAGE: text,
    TEMPLATE_ID: 'send-1',
  });
  assert.equal(sleeps.waits.length, 1, 'tried again once');
  const history = await rest.call<{ messages: { id: number; text: string }[] }>('im.dialog.messages.get', {
    DIALOG_ID: acme.users[1]!.id,
  });
  assert.deepEqual(
    history.messages.filter((m) => m.text === text).map((m) => m.id),
    [id],
  );
});
