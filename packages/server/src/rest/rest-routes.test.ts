import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
});
after(() => server.close());

test('server.time answers in the Bitrix24 envelope with a time block', async () => {
  // server.time is basic scope but still needs a caller; without one the answer is NO_AUTH_FOUND.
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/server.time.json`);
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
});

test('an unknown host is not a portal', async () => {
  const res = await server.fetch(`${server.portalUrl('nobody.localhost')}/rest/server.time`);
  assert.equal(res.status, 404);
  const body = (await res.json()) as { error: string };
  assert.equal(body.error, 'NOT_FOUND');
});

test('malformed JSON is refused in the REST error shape', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/user.current`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"broken":',
  });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'INVALID_REQUEST');
});

test('a NUL character in any parameter is refused before the method runs, however it is sent', async () => {
  const url = `${server.portalUrl('acme.localhost')}/rest/im.message.add.json`;
  const replies = [
    await server.fetch(`${url}?DIALOG_ID=1&MESSAGE=a%00b`),
    await server.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'DIALOG_ID=1&MESSAGE[0][a%00]=b',
    }),
    await server.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ DIALOG_ID: 1, ATTACH: [{ MESSAGE: 'a\u0000b' }] }),
    }),
  ];
  for (const res of replies) {
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: 'INVALID_REQUEST',
      error_description: 'Parameters must not contain NUL characters',
    });
  }
});

test('an oversize body is refused before it is read', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/user.current`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ MESSAGE: 'x'.repeat(2 * 1024 * 1024) }),
  });
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as { error: string }).error, 'PAYLOAD_TOO_LARGE');
});
