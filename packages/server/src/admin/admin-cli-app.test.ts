import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminCliFixture, type CliResult } from '../testing/admin-cli-fixture.ts';

// OAuth applications through the real `portaldesk` bin, on either back end. Every run opens the
// database anew, so the life of one app is followed in as few runs as it takes.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
  await cli.withContext(async ({ portals }) => {
    await portals.create({ domain: 'acme.example.com', name: 'Acme Inc' });
    await portals.create({ domain: 'globex.example.com', name: 'Globex' });
  });
});
after(() => cli.close());
const portaldesk = (args: string[]) => cli.run(args);

/** For each secret, whether it is the client secret of `clientId` on Acme, as the token endpoint judges it. */
const secretsThatOpen = (clientId: string, secrets: string[]) =>
  cli.withContext(async ({ portals, oauthApps }) => {
    const acme = await portals.findByDomain('acme.example.com');
    return Promise.all(secrets.map(async (s) => (await oauthApps.authenticate(acme?.id ?? 0, clientId, s)) !== null));
  });

const expectFailure = (result: CliResult, code: number, message: RegExp) => {
  assert.equal(result.code, code, result.stderr);
  assert.match(result.stderr, message);
  assert.equal(result.stdout, '');
};

test('an app registered, listed without its secret, out of reach of another portal, re-keyed and deleted', async () => {
  const created = await portaldesk([
    ...['app', 'create', '--portal', 'acme.example.com', '--name', 'Reports', '--scope', 'user, IM'],
    ...['--redirect-uri', 'https://reports.example.com/cb', '--redirect-uri', 'http://127.0.0.1:8400/cb'],
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^Registered application Reports on acme\.example\.com$/m);
  const clientId = /^Client id: +(local\.[0-9a-f]{14}\.\d{8})$/m.exec(created.stdout)?.[1] ?? '';
  const secret = /^Client secret: +(\S+)$/m.exec(created.stdout)?.[1] ?? '';
  assert.ok(clientId && secret.length >= 40, created.stdout);

  const listed = await portaldesk(['app', 'list', '--portal', 'acme.example.com']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^CLIENT ID +SCOPES +NAME +REDIRECT URIS$/m);
  const row = new RegExp(
    `^${clientId.replaceAll('.', '\\.')} +user,im +Reports +https://reports\\.example\\.com/cb http://127\\.0\\.0\\.1:8400/cb$`,
    'm',
  );
  assert.match(listed.stdout, row);
  assert.ok(!listed.stdout.includes(secret));

  // Another portal's administrator finds no such app.
  assert.match((await portaldesk(['app', 'list', '--portal', 'globex.example.com'])).stdout, /^No applications/);
  const other = ['--portal', 'globex.example.com', '--client-id', clientId];
  expectFailure(await portaldesk(['app', 'delete', ...other]), 1, /no such application/);

  const own = ['--portal', 'acme.example.com', '--client-id', clientId];
  const rotated = await portaldesk(['app', 'rotate-secret', ...own, '--json']);
  assert.equal(rotated.code, 0, rotated.stderr);
  const answer = JSON.parse(rotated.stdout) as { clientId: string; scopes: string[]; clientSecret: string };
  assert.deepEqual([answer.clientId, answer.scopes], [clientId, ['user', 'im']]);
  assert.notEqual(answer.clientSecret, secret);
  assert.deepEqual(await secretsThatOpen(clientId, [answer.clientSecret, secret]), [true, false]);

  const deleted = await portaldesk(['app', 'delete', ...own]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /^Deleted application local\.\S+ from acme\.example\.com; its tokens no longer work$/m);
  assert.deepEqual(await secretsThatOpen(clientId, [answer.clientSecret]), [false]);
});

test('wrong command lines exit 2 before the database opens; a scope the portal lacks exits 1', async () => {
  const portal = ['--portal', 'acme.example.com'];
  const usage: [string[], RegExp][] = [
    [['app', 'create', ...portal, '--name', 'X', '--scope', 'user'], /Missing --redirect-uri/],
    [
      ['app', 'create', ...portal, '--name', 'X', '--scope', 'user', '--redirect-uri', 'http://x.example.com/cb'],
      /--redirect-uri: A redirect URI must be https \(or http on loopback\)/,
    ],
    [
      ['app', 'create', ...portal, '--name', 'X', '--scope', 'user;drop', '--redirect-uri', 'https://x.example.com'],
      /--scope: Not a scope name/,
    ],
    [['app', 'rotate-secret', ...portal], /Missing --client-id/],
    [['app', 'frobnicate'], /What to do with apps: create, list, rotate-secret, delete/],
  ];
  const results = await Promise.all(usage.map(([args]) => portaldesk(args)));
  for (const [i, [, message]] of usage.entries()) expectFailure(results[i] as CliResult, 2, message);
  const help = await portaldesk(['app', 'create', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--redirect-uri <url> +where people return with a code/);

  const crm = ['app', 'create', ...portal, '--name', 'X', '--scope', 'crm', '--redirect-uri', 'https://x.example.com'];
  expectFailure(await portaldesk(crm), 1, /No such scope: crm/);
});
