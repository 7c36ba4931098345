import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FetchLike } from '@portaldesk/client';
import { RestCallError } from '@portaldesk/client';
import { CSRF_HEADER } from '@portaldesk/protocol';
import { startTestServer, type TestServer } from '@portaldesk/server/testing';
import { RestClient } from './rest-client.ts';

let server: TestServer;
let fetch: FetchLike;
before(async () => {
  server = await startTestServer();
  await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  fetch = (url, init) => server.fetch(url, init);
});
after(() => server.close());

test('a call without a session is refused with the documented error, and the app is told', async () => {
  const unauthorized: RestCallError[] = [];
  const client = new RestClient({
    fetch,
    baseUrl: server.portalUrl('acme.localhost'),
    sessid: () => null,
    onUnauthorized: (error) => unauthorized.push(error),
  });
  await assert.rejects(client.call('server.time'), (error: unknown) => {
    assert.ok(error instanceof RestCallError);
    assert.equal(error.code, 'NO_AUTH_FOUND');
    assert.equal(error.status, 401);
    return true;
  });
  assert.equal(unauthorized.length, 1);
});

test('an unreachable server is a network error', async () => {
  const client = new RestClient({ fetch, baseUrl: 'http://127.0.0.1:1', sessid: () => 'x' });
  await assert.rejects(client.call('server.time'), { code: 'NETWORK_ERROR', status: 0 });
});

test('sessid goes in the CSRF header, never in the URL', async () => {
  const seen: { url: string; body: string; headers: Record<string, string> }[] = [];
  const client = new RestClient({
    fetch: async (url, init) => {
      seen.push({ url, body: init.body, headers: init.headers });
      return { status: 200, headers: { get: () => null }, text: async () => '{"result":true,"time":{}}' };
    },
    sessid: () => 'secret-csrf',
  });
  assert.equal(await client.call('im.dialog.read', { DIALOG_ID: 'chat1' }), true);
  assert.equal(seen[0]?.url, '/rest/im.dialog.read.json');
  assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), { DIALOG_ID: 'chat1' });
  assert.equal(seen[0]?.headers[CSRF_HEADER], 'secret-csrf');
});

test('an answer that is not a REST envelope is an error, not a result', async () => {
  const client = new RestClient({
    fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => '<html></html>' }),
    sessid: () => null,
  });
  await assert.rejects(client.call('user.current'), { code: 'INVALID_RESPONSE' });
});
