import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CSRF_HEADER, type OtpEnrollment, parseQrSignInLink } from '@portaldesk/protocol';
import { z } from 'zod';
import { totpCode } from '../auth/two-factor/totp.ts';
import type { Portal } from '../portals/portal.ts';
import { restMethod } from '../rest/rest-method.ts';
import { createUserWithPassword } from '../testing/auth-fixtures.ts';
import { authorizeAllowing, registerApp, requestToken } from '../testing/oauth-fixtures.ts';
import { QrSignInTestBed } from '../testing/qr-sign-in-fixtures.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// Every way we know of to put a secret in front of the server's log, tried as an attacker (or a
// careless script) would, against a running server whose whole log is then searched for them.

let server: TestServer;
let acme: Portal;
let portalUrl: string;
const secrets = new Set<string>();
/** Remembers a secret this test used, to be looked for in the log at the end. */
const used = (secret: string) => {
  assert.ok(secret.length >= 6, 'too short to search for');
  secrets.add(secret);
  return secret;
};

const PASSWORD = used('ada-first-password-1');
let ada: TestDesktop;
let adaId: number;

before(async () => {
  server = await startTestServer({ config: { trustProxy: true } });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  portalUrl = server.portalUrl(acme.domain);
  adaId = (
    await createUserWithPassword(
      server,
      acme.id,
      { firstName: 'Ada', lastName: 'Admin', username: 'ada', email: 'ada@acme.test', isAdmin: true },
      PASSWORD,
    )
  ).id;
  ada = new TestDesktop(server, acme.domain);
  assert.equal((await ada.signIn('ada', PASSWORD)).status, 200);
  used(ada.sessid as string);
});

after(async () => {
  // Number values are blanked: a six-digit code may well match part of a timestamp.
  const log = server.logs.join('\n').replace(/":-?\d+(\.\d+)?(?=[,}])/g, '":0');
  const requestLines = server.logs.filter((line) => line.includes('"req":')).length;
  const leaked = [...secrets].filter((secret) => log.includes(secret));
  await server.close();
  assert.ok(requestLines >= requestsSent, `every attack was logged (${requestLines} of ${requestsSent})`);
  assert.deepEqual(leaked, [], 'secrets found in the log');
});

let requestsSent = 0;
const get = (path: string, headers: Record<string, string> = {}) => {
  requestsSent++;
  return server.fetch(`${portalUrl}${path}`, { headers, redirect: 'manual' });
};
const post = (path: string, body: string, headers: Record<string, string> = {}) => {
  requestsSent++;
  return server.fetch(`${portalUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
};
const errorOf = async (res: Awaited<ReturnType<typeof get>>) => ((await res.json()) as { error?: string }).error;
const urlsLogged = () => server.logs.map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url);

test('a webhook secret is not logged, whatever form of the address carries it', async () => {
  const { secret } = await server.context.webhooks.create({ portalId: acme.id, userId: adaId, scopes: ['user'] });
  used(secret);
  const wrong = used(`${secret.slice(0, -1)}x`);
  const accepted = [
    `/rest/${adaId}/${secret}/user.current`,
    `//rest/${adaId}/${secret}/user.current`,
    `/rest//${adaId}/${secret}/user.current`,
    // The user id percent-encoded: `%31` is `1`.
    `/rest/${String(adaId).replace(/\d/g, (digit) => `%3${digit}`)}/${secret}/user.current`,
    `/rest/${adaId}/${secret}/user.current.json`,
    `/rest/${adaId}/${secret}/user.current/`,
    `/rest/${adaId}/${secret}/user.current?x=${secret}`,
  ];
  for (const path of accepted) assert.equal((await get(path)).status, 200, path);
  // Addresses that are no webhook call (a page, a 404, a malformed address) but hold its secret.
  const others = [
    `/rest/${adaId}/${secret}`,
    `/rest/${adaId}/${secret}/`,
    `/rest/${adaId}/${wrong}/user.current`,
    `/rest/${adaId}/${secret}/no.such.method`,
    `/rest/${adaId}/${secret}%2Fuser.current`,
    `/rest/${secret}/user.current`,
    `/rest/${secret}`,
    `/REST/${adaId}/${secret}/user.current`,
    `/rest/${adaId}/${secret}/user.current;x=1`,
    `/rest/${adaId}/${secret}/user.current/extra`,
    `/rest/${adaId}/${secret}/%E0%A4%A`,
    `/rest/${adaId}/${secret}/${'m'.repeat(120)}`,
    `/x/${secret}`,
    `/m/${secret}`,
  ];
  for (const path of others) await get(path, { accept: 'text/html' });
  for (const path of [...accepted, ...others]) await post(path, '');
  assert.equal(await errorOf(await get(`/rest/${adaId}/${secret}`)), 'ERROR_METHOD_NOT_FOUND');
  // What the log holds instead: the route, with the user id and a known method filled in.
  const urls = urlsLogged();
  assert.ok(urls.includes(`/rest/${adaId}/:secret/user.current`));
  assert.ok(urls.includes(`/rest/${adaId}/:secret/:method`), 'an unknown method is not written either');
  assert.ok(urls.includes(`/rest/${adaId}/:secret`));
});

test('a password or code sent in an address is refused, changes nothing, and is not logged', async () => {
  const newPassword = used('ada-second-password-2');
  const asGet = await get(
    `/rest/portaldesk.password.change.json?CURRENT_PASSWORD=${PASSWORD}&NEW_PASSWORD=${newPassword}&sessid=${ada.sessid}`,
    ada.cookieHeader(),
  );
  assert.equal(asGet.status, 400);
  assert.deepEqual(await asGet.json(), {
    error: 'ERROR_POST_REQUIRED',
    error_description:
      'portaldesk.password.change takes a password or secret (CURRENT_PASSWORD, NEW_PASSWORD): send it by POST, in the body',
  });
  // A POST that puts the passwords in its query string is refused alike.
  const inQuery = await post(
    `/rest/portaldesk.password.change.json?CURRENT_PASSWORD=${PASSWORD}&NEW_PASSWORD=${newPassword}`,
    `sessid=${ada.sessid}`,
    ada.cookieHeader(),
  );
  assert.equal(await errorOf(inQuery), 'ERROR_POST_REQUIRED');
  // And so is a batch sent by GET that runs the change.
  const command = encodeURIComponent(
    `portaldesk.password.change?CURRENT_PASSWORD=${PASSWORD}&NEW_PASSWORD=${newPassword}`,
  );
  const batch = await get(`/rest/batch.json?halt=0&cmd[change]=${command}&sessid=${ada.sessid}`, ada.cookieHeader());
  assert.equal(batch.status, 200);
  const batchAnswer = (await batch.json()) as { result: { result_error: Record<string, { error: string }> } };
  assert.equal(batchAnswer.result.result_error.change?.error, 'ERROR_POST_REQUIRED');
  // Nothing changed: the first password still signs in, the second does not.
  assert.equal((await new TestDesktop(server, acme.domain).signIn('ada', PASSWORD)).status, 200);
  assert.equal((await new TestDesktop(server, acme.domain).signIn('ada', newPassword)).status, 401);

  const enrollment = (await ada.rest('portaldesk.otp.enroll')).body.result as OtpEnrollment;
  used(enrollment.secret);
  const code = used(totpCode(enrollment.secret, new Date()));
  for (const path of [
    `/rest/portaldesk.otp.confirm.json?CODE=${code}&sessid=${ada.sessid}`,
    `/rest/portaldesk.otp.disable.json?PASSWORD=${PASSWORD}&sessid=${ada.sessid}`,
    `/rest/portaldesk.admin.user.add.json?FIRST_NAME=Eve&USERNAME=eve&PASSWORD=${used('eve-password-333')}&sessid=${ada.sessid}`,
  ]) {
    assert.equal(await errorOf(await get(path, ada.cookieHeader())), 'ERROR_POST_REQUIRED', path);
  }
  assert.equal(
    ((await ada.rest('portaldesk.otp.status')).body.result as { enabled: boolean }).enabled,
    false,
    'not confirmed by GET',
  );
  const names = (await server.context.users.list(acme.id, {}, { offset: 0, limit: 50 })).users.map((u) => u.firstName);
  assert.ok(!names.includes('Eve'), 'no user added by GET');
  // The desktop sign-in form with its password and code in the address instead of the body.
  await post(`/desktop_app/login/?login=ada&password=${PASSWORD}&otp=${code}`, 'action=login&json=y');
  await post(`/desktop_app/login/?password=${PASSWORD}`, `action=login&login=ada&password=${PASSWORD}x&json=y`);
});

test('tokens, sessids and OAuth codes and secrets in a query string are not logged', async () => {
  const app = await registerApp(server, acme, ['user']);
  used(app.clientSecret);
  const state = used(randomBytes(9).toString('hex'));
  const location = await authorizeAllowing(server, acme, ada.cookieHeader(), { client_id: app.clientId, state });
  const code = used(location.searchParams.get('code') ?? '');
  const tokenQuery = {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code,
  };
  const { body: tokens } = await requestToken(server, acme, tokenQuery, 'GET');
  used(tokens.access_token);
  used(tokens.refresh_token);
  await requestToken(server, acme, tokenQuery, 'GET');
  await requestToken(
    server,
    acme,
    {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: tokens.refresh_token,
    },
    'GET',
  );
  const token = tokens.access_token;
  for (const path of [
    `/rest/user.current?auth=${token}`,
    `/rest/user.current.json?AUTH=${token}`,
    `/rest/user.current.json?auth[]=${token}`,
    `/rest/user.current.json?access_token=${token}`,
    `/rest/no.such.method?auth=${token}`,
    `/rest/batch?auth=${token}&cmd[a]=${encodeURIComponent(`user.current?auth=${token}`)}`,
    `/rest/portaldesk.session.list.json?sessid=${ada.sessid}`,
    `/oauth/authorize/?client_id=${app.clientId}&state=${state}&code=${code}`,
    `/?auth=${token}`,
    `/m/?sessid=${ada.sessid}`,
  ]) {
    await get(path, { ...ada.cookieHeader(), accept: 'text/html' });
  }
  await server.fetch(`${portalUrl}/rest/user.current?auth=${token}`, { method: 'HEAD' });
  await post(`/rest/user.current.json?auth=${token}`, `auth=${token}`);
  await post('/rest/user.current.json', '', { [CSRF_HEADER]: ada.sessid as string, authorization: `Bearer ${token}` });
});

test('a QR sign-in link is not logged, sent to the scan method or as an address', async () => {
  const bed = new QrSignInTestBed(server);
  const desktop = await bed.desktop();
  const link = parseQrSignInLink(desktop.code.qrUrl);
  assert.ok(link);
  used(link.pointer);
  const phone = await bed.phone('ada', PASSWORD);
  const scanByGet = await get(
    `/rest/portaldesk.qrsignin.scan.json?QR=${encodeURIComponent(desktop.code.qrUrl)}&sessid=${phone.sessid}`,
    phone.cookieHeader(),
  );
  assert.equal(await errorOf(scanByGet), 'ERROR_POST_REQUIRED');
  await get(`/m/qr-sign-in?p=${link.pointer}&k=${link.keyHash}`, { accept: 'text/html' });
  await get(`/m/qr-sign-in/${link.pointer}`, { accept: 'text/html' });
  desktop.close();
});

test('an error is logged without its message: the text a database error quotes stays out', async () => {
  const marker = used(`marker-${randomBytes(6).toString('hex')}`);
  // A method that fails in the database, quoting the value it was given, as a bug would.
  server.context.restMethods.register(
    restMethod({
      name: 'test.fails.in.database',
      scope: 'basic',
      readOnly: true,
      params: z.looseObject({ VALUE: z.string() }),
      handle: async ({ params }) => ({ result: await server.context.db.query('SELECT $1::int AS n', [params.VALUE]) }),
    }),
  );
  const res = await ada.rest('test.fails.in.database', { VALUE: marker });
  assert.equal(res.status, 500);
  assert.deepEqual(res.body, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
  const failure = server.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed');
  assert.ok(failure, 'the failure is logged');
  assert.equal(failure.err.code, '22P02', 'with its SQLSTATE');
  assert.match(failure.err.stack, /at /, 'and where it happened');
});
