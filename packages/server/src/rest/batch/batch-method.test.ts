import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import qs from 'qs';
import { z } from 'zod';
import { openSession } from '../../testing/oauth-fixtures.ts';
import { callRest, createPortalWithUsers, createWebhookUrl, type PortalFixture } from '../../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { restMethod } from '../rest-method.ts';

let server: TestServer;
let acme: PortalFixture;
let hook: string;
let briefHook: string;

before(async () => {
  server = await startTestServer();
  acme = await createPortalWithUsers(server, 'acme.localhost', 60);
  hook = await createWebhookUrl(server, acme.portal, acme.users[0]!.id, ['user']);
  briefHook = await createWebhookUrl(server, acme.portal, acme.users[0]!.id, ['im']);
});
after(() => server.close());

interface BatchBody {
  result: {
    result: Record<string, unknown> | unknown[];
    result_error: Record<string, { error: string; error_description: string }> | unknown[];
    result_total: Record<string, number> | unknown[];
    result_next: Record<string, number> | unknown[];
    result_time: Record<string, unknown> | unknown[];
  };
}

async function batch(url: string, body: unknown) {
  const { status, body: answer } = await callRest(server, `${url}batch`, body);
  return { status, answer: answer as unknown as BatchBody & { error?: string } };
}

test('independent commands answer under their keys, with totals and next for lists', async () => {
  const { status, answer } = await batch(hook, {
    halt: 0,
    cmd: { me: 'user.current', all: 'user.get', t: 'server.time' },
  });
  assert.equal(status, 200);
  const r = answer.result;
  assert.equal((r.result as Record<string, { ID: string }>).me!.ID, String(acme.users[0]!.id));
  assert.equal(((r.result as Record<string, unknown[]>).all as unknown[]).length, 50);
  assert.deepEqual(r.result_total, { all: 60 });
  assert.deepEqual(r.result_next, { all: 50 });
  assert.deepEqual(r.result_error, [], 'no errors is an empty list, as PHP writes it');
  assert.deepEqual(Object.keys(r.result_time as object).sort(), ['all', 'me', 't']);
});

test('a later command uses $result[key][field], nested too, percent-encoded as the SDK sends it', async () => {
  const cmd = {
    me: 'user.current',
    // As the SDK builds it: qs.stringify with PHP brackets, percent-encoded.
    same: `user.get?${qs.stringify({ FILTER: { ID: '$result[me][ID]' } })}`,
    again: 'user.get?FILTER[EMAIL]=$result[same][0][EMAIL]',
  };
  assert.match(cmd.same, /FILTER%5BID%5D=%24result%5Bme%5D%5BID%5D/);
  const { answer } = await batch(hook, { halt: 1, cmd });
  const result = answer.result.result as Record<string, { ID: string }[]>;
  assert.deepEqual(
    result.same!.map((u) => u.ID),
    [String(acme.users[0]!.id)],
  );
  assert.deepEqual(
    result.again!.map((u) => u.ID),
    [String(acme.users[0]!.id)],
  );
});

test('halt=1 stops at the first error; halt=0 runs every command', async () => {
  const cmd = { a: 'server.time', bad: 'no.such.method', c: 'user.current' };
  const halted = await batch(hook, { halt: 1, cmd });
  assert.deepEqual(Object.keys(halted.answer.result.result), ['a']);
  assert.deepEqual(halted.answer.result.result_error, {
    bad: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
  });
  const all = await batch(hook, { halt: 0, cmd });
  assert.deepEqual(Object.keys(all.answer.result.result).sort(), ['a', 'c']);
  assert.deepEqual(Object.keys(all.answer.result.result_error), ['bad']);
});

test('every command is checked against the caller scope', async () => {
  const { status, answer } = await batch(briefHook, { halt: 0, cmd: { p: 'profile', u: 'user.current' } });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(answer.result.result), ['p']);
  assert.equal((answer.result.result_error as Record<string, { error: string }>).u!.error, 'insufficient_scope');
});

test('a command cannot switch to other credentials with its own auth parameter', async () => {
  const { answer } = await batch(briefHook, { halt: 0, cmd: { u: 'user.current?auth=whatever' } });
  assert.equal((answer.result.result_error as Record<string, { error: string }>).u!.error, 'insufficient_scope');
});

test('a batch inside a batch is refused for that command', async () => {
  const { answer } = await batch(hook, { halt: 0, cmd: { inner: 'batch?cmd[x]=server.time', t: 'server.time' } });
  assert.equal(
    (answer.result.result_error as Record<string, { error: string }>).inner!.error,
    'ERROR_BATCH_METHOD_NOT_ALLOWED',
  );
  assert.ok('t' in answer.result.result);
});

test('a reference to nothing fails that command with INVALID_ARG_VALUE', async () => {
  const { answer } = await batch(hook, { halt: 0, cmd: { u: 'user.get?FILTER[ID]=$result[nobody][ID]' } });
  assert.equal((answer.result.result_error as Record<string, { error: string }>).u!.error, 'INVALID_ARG_VALUE');
});

test('more than 50 commands are refused whole with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
  const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'server.time']));
  const { status, answer } = await batch(hook, { halt: 0, cmd });
  assert.equal(status, 400);
  assert.equal(answer.error, 'ERROR_BATCH_LENGTH_EXCEEDED');
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'server.time']));
  const ok = await batch(hook, { halt: 0, cmd: fifty });
  assert.equal(ok.status, 200);
  assert.equal(Object.keys(ok.answer.result.result).length, 50);
});

test('a list of commands answers lists', async () => {
  const { answer } = await batch(hook, { cmd: ['server.time', 'profile'] });
  assert.ok(Array.isArray(answer.result.result));
  assert.equal((answer.result.result as unknown[]).length, 2);
});

test('a batch sent as a form, the way PHP clients send it, works', async () => {
  const res = await server.fetch(`${hook}batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: qs.stringify({
      halt: 0,
      cmd: { me: 'user.current', same: `user.get?${qs.stringify({ ID: '$result[me][ID]' })}` },
    }),
  });
  const answer = (await res.json()) as BatchBody;
  assert.equal(res.status, 200);
  assert.deepEqual(
    ((answer.result.result as Record<string, { ID: string }[]>).same ?? []).map((u) => u.ID),
    [String(acme.users[0]!.id)],
  );
});

test('a batch without cmd is INVALID_ARG_VALUE', async () => {
  const { status, answer } = await batch(hook, { halt: 0 });
  assert.equal(status, 400);
  assert.equal(answer.error, 'INVALID_ARG_VALUE');
});

test('a session batch needs the sessid for each command that changes data', async () => {
  const { headers, sessid } = await openSession(server, acme.portal, acme.users[1]!.id);
  const url = `${server.portalUrl('acme.localhost')}/rest/batch.json`;
  const post = (body: unknown) =>
    server.fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const cmd = { me: 'user.current', out: 'portaldesk.session.logout' };
  const withoutSessid = (await (await post({ halt: 0, cmd })).json()) as BatchBody;
  assert.ok('me' in withoutSessid.result.result);
  assert.equal((withoutSessid.result.result_error as Record<string, { error: string }>).out!.error, 'INVALID_CSRF');
  // Nothing changed: the session is still signed in.
  assert.equal((await post({ cmd: { me: 'user.current' } })).status, 200);
  const withSessid = (await (await post({ halt: 0, cmd, sessid })).json()) as BatchBody;
  assert.deepEqual(withSessid.result.result_error, []);
  assert.equal((await post({ cmd: { me: 'user.current' } })).status, 401, 'signed out by the batch');
});

test('a command that fails inside the server answers on its own; with halt=0 the others still run', async () => {
  // A method whose database query fails, as a bug would make it fail.
  server.context.restMethods.register(
    restMethod({
      name: 'test.broken',
      scope: 'basic',
      readOnly: true,
      params: z.looseObject({}),
      handle: async () => ({ result: await server.context.db.query('SELECT $1::int AS n', ['not a number']) }),
    }),
  );
  const { status, answer } = await batch(hook, { halt: 0, cmd: { a: 'server.time', b: 'test.broken', c: 'profile' } });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(answer.result.result).sort(), ['a', 'c']);
  assert.deepEqual(answer.result.result_error, {
    b: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
  });
  const halted = await batch(hook, { halt: 1, cmd: { a: 'server.time', b: 'test.broken', c: 'profile' } });
  assert.equal(halted.status, 200);
  assert.deepEqual(Object.keys(halted.answer.result.result), ['a']);
  assert.ok(server.logs.some((line) => line.includes('batch command failed')));
});
