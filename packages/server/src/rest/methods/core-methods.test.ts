import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callRest, createPortalWithUsers, createWebhookUrl } from '../../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

let server: TestServer;
let userHook: string;
let imHook: string;

before(async () => {
  server = await startTestServer();
  const { portal, users } = await createPortalWithUsers(server, 'acme.localhost', 1);
  userHook = await createWebhookUrl(server, portal, users[0]!.id, ['user']);
  imHook = await createWebhookUrl(server, portal, users[0]!.id, ['im']);
});
after(() => server.close());

test('server.time answers the time as ISO 8601 with an offset', async () => {
  const { status, body } = await callRest(server, `${userHook}server.time`);
  assert.equal(status, 200);
  assert.match(String(body.result), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  const time = body.time as Record<string, unknown>;
  for (const field of ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating']) {
    assert.ok(field in time, `time.${field}`);
  }
});

test('methods lists what the caller may call; full lists everything', async () => {
  const mine = (await callRest(server, `${imHook}methods`)).body.result as string[];
  assert.ok(mine.includes('profile') && mine.includes('batch') && mine.includes('server.time'));
  assert.ok(!mine.includes('user.current'), 'not granted by the im scope');
  const withUser = (await callRest(server, `${userHook}methods`)).body.result as string[];
  assert.ok(withUser.includes('user.current') && withUser.includes('user.get'));
  const full = (await callRest(server, `${imHook}methods`, { full: true })).body.result as string[];
  assert.ok(full.includes('user.get'));
  const ofScope = (await callRest(server, `${imHook}methods`, { scope: 'user' })).body.result as string[];
  assert.deepEqual(ofScope, ['user.current', 'user.get', 'user.update']);
});

test('scope answers the granted scopes, or with full every scope', async () => {
  assert.deepEqual((await callRest(server, `${userHook}scope`)).body.result, ['user']);
  const full = (await callRest(server, `${userHook}scope`, { full: 'true' })).body.result as string[];
  assert.ok(full.includes('user') && full.includes('user_brief') && full.includes('user_basic'));
});

test('an unknown method is ERROR_METHOD_NOT_FOUND with 404', async () => {
  const { status, body } = await callRest(server, `${userHook}no.such.method`);
  assert.equal(status, 404);
  assert.deepEqual(body, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
});

test('a wrong parameter type is INVALID_ARG_VALUE with 400', async () => {
  const { status, body } = await callRest(server, `${userHook}methods`, { full: 'perhaps' });
  assert.equal(status, 400);
  assert.equal(body.error, 'INVALID_ARG_VALUE');
});

test('a JSON body that is not an object is INVALID_REQUEST', async () => {
  const res = await server.fetch(`${userHook}server.time`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '[1,2]',
  });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'INVALID_REQUEST');
});

test('form posts and GET with .json work alike', async () => {
  const form = await server.fetch(`${userHook}methods.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'scope=user',
  });
  assert.deepEqual(((await form.json()) as { result: string[] }).result, ['user.current', 'user.get', 'user.update']);
  const get = await server.fetch(`${userHook}methods.json?scope=user`);
  assert.deepEqual(((await get.json()) as { result: string[] }).result, ['user.current', 'user.get', 'user.update']);
});
