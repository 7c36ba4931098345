import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callRest, createPortalWithUsers, createWebhookUrl, type PortalFixture } from '../../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

let server: TestServer;
let acme: PortalFixture;
let hook: string;
let briefHook: string;
let noUserScopeHook: string;

before(async () => {
  server = await startTestServer();
  // 120 users: three pages of user.get.
  acme = await createPortalWithUsers(server, 'acme.localhost', 120);
  const me = acme.users[0]!;
  hook = await createWebhookUrl(server, acme.portal, me.id, ['user']);
  briefHook = await createWebhookUrl(server, acme.portal, me.id, ['user_brief']);
  noUserScopeHook = await createWebhookUrl(server, acme.portal, me.id, ['im']);
  await server.context.users.setActive(acme.portal.id, acme.users[119]!.id, false);
});
after(() => server.close());

test('user.current answers the caller with documented field names and formats', async () => {
  const me = acme.users[0]!;
  const { status, body } = await callRest(server, `${hook}user.current`);
  assert.equal(status, 200);
  const user = body.result as Record<string, unknown>;
  assert.equal(user.ID, String(me.id));
  assert.equal(user.ACTIVE, true);
  assert.equal(user.NAME, 'User1');
  assert.equal(user.LAST_NAME, 'Tester1');
  assert.equal(user.EMAIL, 'user1@acme.localhost');
  assert.equal(user.PERSONAL_MOBILE, '+15550000001');
  assert.match(String(user.DATE_REGISTER), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert.ok(body.time, 'every answer carries the time block');
});

test('profile answers ADMIN and needs no scope', async () => {
  const { status, body } = await callRest(server, `${noUserScopeHook}profile.json`);
  assert.equal(status, 200);
  assert.deepEqual(body.result, {
    ID: String(acme.users[0]!.id),
    ADMIN: true,
    NAME: 'User1',
    LAST_NAME: 'Tester1',
    PERSONAL_GENDER: '',
    TIME_ZONE: '',
  });
});

test('user.current without a user scope is refused with insufficient_scope', async () => {
  const { status, body } = await callRest(server, `${noUserScopeHook}user.current`);
  assert.equal(status, 403);
  assert.equal(body.error, 'insufficient_scope');
});

test('user_brief hides contact details', async () => {
  const { body } = await callRest(server, `${briefHook}user.current`);
  const user = body.result as Record<string, unknown>;
  assert.equal(user.NAME, 'User1');
  assert.equal(user.EMAIL, undefined);
  assert.equal(user.PERSONAL_MOBILE, undefined);
});

test('user.get pages by 50 with total and next, ordered by ID', async () => {
  const first = await callRest(server, `${hook}user.get`);
  assert.equal(first.status, 200);
  const firstPage = first.body.result as { ID: string }[];
  assert.equal(firstPage.length, 50);
  assert.equal(first.body.total, 120);
  assert.equal(first.body.next, 50);
  assert.equal(firstPage[0]!.ID, String(acme.users[0]!.id));
  const last = await callRest(server, `${hook}user.get`, { start: 100 });
  assert.equal((last.body.result as unknown[]).length, 20);
  assert.equal(last.body.total, 120);
  assert.equal(last.body.next, undefined, 'no next on the last page');
});

test('user.get filters by FILTER[ID], EMAIL and ACTIVE, in a query string too', async () => {
  const ids = [acme.users[2]!.id, acme.users[4]!.id];
  const byId = await server.fetch(`${hook}user.get?FILTER[ID][]=${ids[0]}&FILTER[ID][]=${ids[1]}`);
  const byIdBody = (await byId.json()) as { result: { ID: string }[]; total: number };
  assert.deepEqual(
    byIdBody.result.map((u) => u.ID),
    ids.map(String),
  );
  const byEmail = await callRest(server, `${hook}user.get`, { filter: { EMAIL: 'USER7@acme.localhost' } });
  assert.deepEqual(
    (byEmail.body.result as { ID: string }[]).map((u) => u.ID),
    [String(acme.users[6]!.id)],
  );
  const inactive = await callRest(server, `${hook}user.get`, { FILTER: { ACTIVE: 'N' } });
  assert.deepEqual(
    (inactive.body.result as { ID: string }[]).map((u) => u.ID),
    [String(acme.users[119]!.id)],
  );
  const active = await callRest(server, `${hook}user.get`, { FILTER: { ACTIVE: true } });
  assert.equal(active.body.total, 119);
});

test('user.get also takes filter keys at the top level', async () => {
  const { body } = await callRest(server, `${hook}user.get`, { ID: acme.users[9]!.id });
  assert.deepEqual(
    (body.result as { ID: string }[]).map((u) => u.ID),
    [String(acme.users[9]!.id)],
  );
  assert.equal(body.total, 1);
});

test('user.get refuses a wrong type or an unsupported filter with INVALID_ARG_VALUE', async () => {
  for (const params of [{ FILTER: { ID: 'abc' } }, { FILTER: { NAME: 'x' } }, { start: 'many' }, { FILTER: 'ID' }]) {
    const { status, body } = await callRest(server, `${hook}user.get`, params);
    assert.equal(status, 400, JSON.stringify(params));
    assert.equal(body.error, 'INVALID_ARG_VALUE');
    assert.equal(typeof body.error_description, 'string');
  }
});

test('user.get never shows users of another portal', async () => {
  const other = await createPortalWithUsers(server, 'globex.localhost', 2);
  const { body } = await callRest(server, `${hook}user.get`, { FILTER: { ID: other.users[0]!.id } });
  assert.deepEqual(body.result, []);
  assert.equal(body.total, 0);
});

test('user.get pages by cursor with >ID and start=-1 (no total), and orders by ID DESC', async () => {
  const after = acme.users[109]!.id;
  const { body } = await callRest(server, `${hook}user.get`, {
    filter: { '>ID': after },
    order: { ID: 'ASC' },
    start: -1,
  });
  assert.deepEqual(
    (body.result as { ID: string }[]).map((u) => u.ID),
    acme.users.slice(110).map((u) => String(u.id)),
  );
  assert.equal(body.total, undefined);
  assert.equal(body.next, undefined);
  const desc = await callRest(server, `${hook}user.get`, {
    sort: 'ID',
    order: 'DESC',
    FILTER: { '<=ID': acme.users[2]!.id },
  });
  assert.deepEqual(
    (desc.body.result as { ID: string }[]).map((u) => u.ID),
    acme.users
      .slice(0, 3)
      .reverse()
      .map((u) => String(u.id)),
  );
  const refused = await callRest(server, `${hook}user.get`, { sort: 'NAME' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'INVALID_ARG_VALUE');
});
