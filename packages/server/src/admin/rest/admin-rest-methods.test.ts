import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminUserCreated, AdminUserView, AdminWebhookCreated, AdminWebhookView } from '@portaldesk/protocol';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword, leakedSecrets } from '../../testing/auth-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const ADMIN_METHODS: [string, Record<string, unknown>][] = [
  ['portaldesk.admin.user.list', {}],
  ['portaldesk.admin.user.add', { FIRST_NAME: 'Eve', EMAIL: 'eve@acme.test', PASSWORD: 'eve password 1' }],
  ['portaldesk.admin.user.deactivate', { ID: 1 }],
  ['portaldesk.admin.user.activate', { ID: 1 }],
  ['portaldesk.admin.webhook.list', {}],
  ['portaldesk.admin.webhook.add', { SCOPE: ['user'] }],
  ['portaldesk.admin.webhook.delete', { ID: 1 }],
];

let server: TestServer;
let acme: Portal;
let globex: Portal;
let admin: TestDesktop;
let member: TestDesktop;
let globexAdmin: TestDesktop;
let memberId: number;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme', defaultCountry: 'DE' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  const person = async (portal: Portal, username: string, isAdmin: boolean) => {
    const password = `${username} password`;
    const user = await createUserWithPassword(
      server,
      portal.id,
      { firstName: username, lastName: 'Test', username, isAdmin },
      password,
    );
    const desktop = new TestDesktop(server, portal.domain);
    assert.equal((await desktop.signIn(username, password)).status, 200);
    return { user, desktop };
  };
  admin = (await person(acme, 'ada', true)).desktop;
  const plain = await person(acme, 'max', false);
  member = plain.desktop;
  memberId = plain.user.id;
  globexAdmin = (await person(globex, 'gil', true)).desktop;
});
after(() => server.close());

const ok = async <T>(desktop: TestDesktop, method: string, params: Record<string, unknown> = {}) => {
  const reply = await desktop.rest(method, params);
  assert.equal(reply.status, 200, `${method}: ${JSON.stringify(reply.body)}`);
  return reply.body.result as T;
};
const failure = async (desktop: TestDesktop, method: string, params: Record<string, unknown> = {}) => {
  const reply = await desktop.rest(method, params);
  return { status: reply.status, error: reply.body.error };
};
const acmeUsers = async () => ok<AdminUserView[]>(admin, 'portaldesk.admin.user.list');
const signIn = async (portal: Portal, login: string, password: string) =>
  (await new TestDesktop(server, portal.domain).signIn(login, password)).status;

describe('who may administer', () => {
  test('a member who is no administrator is refused every admin method, and nothing changes', async () => {
    const before = await acmeUsers();
    for (const [method, params] of ADMIN_METHODS) {
      assert.deepEqual(await failure(member, method, params), { status: 403, error: 'ACCESS_DENIED' }, method);
    }
    assert.deepEqual(await acmeUsers(), before);
    assert.deepEqual(await ok(admin, 'portaldesk.admin.webhook.list'), []);
  });

  test('state changes need the sessid; a webhook of an administrator is refused', async () => {
    const noCsrf = await admin.rest('portaldesk.admin.user.deactivate', { ID: memberId }, { withSessid: false });
    assert.deepEqual([noCsrf.status, noCsrf.body.error], [403, 'INVALID_CSRF']);
    const adminId = (await acmeUsers()).find((u) => u.username === 'ada')?.id as number;
    const { path, webhook } = await server.context.webhooks.create({
      portalId: acme.id,
      userId: adminId,
      scopes: ['user'],
    });
    const res = await server.fetch(`${server.portalUrl('acme.localhost')}${path}portaldesk.admin.user.list.json`);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'WRONG_AUTH_TYPE');
    await server.context.webhooks.revoke(acme.id, webhook.id, new Date());
    assert.ok((await acmeUsers()).find((u) => u.id === memberId)?.active);
  });
});

describe('users', () => {
  test('an administrator creates a user with a password, who can then sign in; the password is not logged', async () => {
    const password = 'first day password';
    const created = await ok<AdminUserCreated>(admin, 'portaldesk.admin.user.add', {
      FIRST_NAME: ' Nina ',
      LAST_NAME: 'New',
      EMAIL: 'Nina@Acme.Test',
      PHONE: '+49 30 1234567',
      USERNAME: 'nina',
      PASSWORD: password,
    });
    assert.equal(created.temporaryPassword, undefined);
    assert.deepEqual(
      { ...created.user, id: 0, createdAt: '' },
      {
        id: 0,
        createdAt: '',
        firstName: 'Nina',
        lastName: 'New',
        email: 'nina@acme.test',
        phone: '+49301234567',
        username: 'nina',
        isAdmin: false,
        active: true,
      },
    );
    assert.equal(await signIn(acme, 'nina@acme.test', password), 200);
    assert.equal(await signIn(acme, '+49301234567', password), 200);
    assert.ok((await acmeUsers()).some((u) => u.id === created.user.id));
    assert.deepEqual(leakedSecrets(server, [password]), []);
  });

  test('without a password the server makes a temporary one, answered once', async () => {
    const created = await ok<AdminUserCreated>(admin, 'portaldesk.admin.user.add', {
      FIRST_NAME: 'Tom',
      USERNAME: 'tom',
      ADMIN: 'Y',
    });
    assert.ok(created.user.isAdmin);
    assert.ok((created.temporaryPassword ?? '').length >= 12);
    assert.equal(await signIn(acme, 'tom', created.temporaryPassword as string), 200);
    assert.deepEqual(leakedSecrets(server, [created.temporaryPassword as string]), []);
  });

  test('bad or taken logins are refused in the REST envelope, and no user is created', async () => {
    const count = (await acmeUsers()).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ FIRST_NAME: 'No Login' }, 'ERROR_ARGUMENT'],
      [{ FIRST_NAME: '', EMAIL: 'x@acme.test' }, 'INVALID_ARG_VALUE'],
      [{ FIRST_NAME: 'Bad', EMAIL: 'not-an-email' }, 'INVALID_ARG_VALUE'],
      [{ FIRST_NAME: 'Bad', USERNAME: 'a b' }, 'INVALID_ARG_VALUE'],
      [{ FIRST_NAME: 'Bad', USERNAME: '0301234567' }, 'ERROR_ARGUMENT'],
      [{ FIRST_NAME: 'Bad', PHONE: 'call me' }, 'ERROR_ARGUMENT'],
      [{ FIRST_NAME: 'Short', USERNAME: 'short', PASSWORD: 'seven77' }, 'INVALID_ARG_VALUE'],
      [{ FIRST_NAME: 'Twin', EMAIL: 'NINA@acme.test' }, 'ERROR_ARGUMENT'],
      [{ FIRST_NAME: 'Twin', USERNAME: 'Nina' }, 'ERROR_ARGUMENT'],
    ];
    for (const [params, error] of cases) {
      assert.deepEqual(
        await failure(admin, 'portaldesk.admin.user.add', params),
        { status: 400, error },
        JSON.stringify(params),
      );
    }
    assert.equal((await acmeUsers()).length, count);
    assert.deepEqual(leakedSecrets(server, ['seven77']), []);
  });

  test('deactivating signs the user out at once and stops sign-in; activating lets them back', async () => {
    const created = await ok<AdminUserCreated>(admin, 'portaldesk.admin.user.add', {
      FIRST_NAME: 'Leo',
      USERNAME: 'leo',
      PASSWORD: 'leo password',
    });
    const leo = new TestDesktop(server, 'acme.localhost');
    assert.equal((await leo.signIn('leo', 'leo password')).status, 200);
    assert.equal((await leo.rest('user.current')).status, 200);

    const off = await ok<{ user: AdminUserView; sessionsEnded: number }>(admin, 'portaldesk.admin.user.deactivate', {
      ID: created.user.id,
    });
    assert.equal(off.user.active, false);
    assert.equal(off.sessionsEnded, 1);
    assert.equal((await leo.rest('user.current')).status, 401);
    assert.equal(await signIn(acme, 'leo', 'leo password'), 401);
    assert.equal((await acmeUsers()).find((u) => u.id === created.user.id)?.active, false);

    await ok(admin, 'portaldesk.admin.user.activate', { ID: created.user.id });
    assert.equal(await signIn(acme, 'leo', 'leo password'), 200);
  });

  test('an administrator cannot deactivate themselves, nor reach users of another portal', async () => {
    const adminId = (await acmeUsers()).find((u) => u.username === 'ada')?.id;
    assert.deepEqual(await failure(admin, 'portaldesk.admin.user.deactivate', { ID: adminId }), {
      status: 400,
      error: 'ERROR_ARGUMENT',
    });
    const globexIds = (await ok<AdminUserView[]>(globexAdmin, 'portaldesk.admin.user.list')).map((u) => u.id);
    assert.equal(globexIds.length, 1);
    assert.ok(!(await acmeUsers()).some((u) => globexIds.includes(u.id)));
    assert.deepEqual(await failure(globexAdmin, 'portaldesk.admin.user.deactivate', { ID: memberId }), {
      status: 404,
      error: 'NOT_FOUND',
    });
    assert.equal((await member.rest('user.current')).status, 200);
    assert.deepEqual(await failure(admin, 'portaldesk.admin.user.activate', { ID: 'x' }), {
      status: 400,
      error: 'INVALID_ARG_VALUE',
    });
  });

  test('the list pages by 50 with total and next', async () => {
    for (let n = 0; n < 50; n++) {
      await server.context.users.create(acme.id, { firstName: `Bulk${n}`, lastName: 'User', username: `bulk${n}` });
    }
    const first = await admin.rest('portaldesk.admin.user.list');
    const body = first.body as { result: AdminUserView[]; total: number; next: number };
    assert.equal(body.result.length, 50);
    assert.equal(body.next, 50);
    const second = await admin.rest('portaldesk.admin.user.list', { start: body.next });
    assert.equal((second.body.result as AdminUserView[]).length, body.total - 50);
  });
});

describe('incoming webhooks', () => {
  test('created with scopes, works for user.current, listed without its secret, stops after delete', async () => {
    const created = await ok<AdminWebhookCreated>(admin, 'portaldesk.admin.webhook.add', {
      SCOPE: ['user', 'im'],
      TITLE: 'CRM sync',
    });
    assert.match(created.path, /^\/rest\/\d+\/[^/]+\/$/);
    assert.deepEqual(created.webhook.scopes, ['user', 'im']);
    assert.equal(created.webhook.userName, 'ada Test');
    const url = `${server.portalUrl('acme.localhost')}${created.path}user.current.json`;
    const current = await server.fetch(url);
    assert.equal(current.status, 200);
    assert.equal(((await current.json()) as { result: { NAME: string } }).result.NAME, 'ada');

    const listed = await ok<AdminWebhookView[]>(admin, 'portaldesk.admin.webhook.list');
    assert.deepEqual(
      listed.map((w) => w.title),
      ['CRM sync'],
    );
    const secret = created.path.split('/')[3] as string;
    assert.ok(!JSON.stringify(listed).includes(secret));
    assert.deepEqual(leakedSecrets(server, [secret]), []);

    assert.deepEqual(await failure(globexAdmin, 'portaldesk.admin.webhook.delete', { ID: created.webhook.id }), {
      status: 404,
      error: 'NOT_FOUND',
    });
    assert.equal((await server.fetch(url)).status, 200);
    await ok(admin, 'portaldesk.admin.webhook.delete', { ID: created.webhook.id });
    assert.equal((await server.fetch(url)).status, 401);
    assert.deepEqual(await ok(admin, 'portaldesk.admin.webhook.list'), []);
    assert.deepEqual(await failure(admin, 'portaldesk.admin.webhook.delete', { ID: created.webhook.id }), {
      status: 404,
      error: 'NOT_FOUND',
    });
  });

  test('unknown or missing scopes are refused', async () => {
    for (const SCOPE of [[], ['nonsense'], ['User Scope']]) {
      const { error } = await failure(admin, 'portaldesk.admin.webhook.add', { SCOPE });
      assert.ok(error === 'ERROR_ARGUMENT' || error === 'INVALID_ARG_VALUE', `${JSON.stringify(SCOPE)}: ${error}`);
    }
    assert.deepEqual(await ok(admin, 'portaldesk.admin.webhook.list'), []);
  });
});
