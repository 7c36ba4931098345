import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminCliFixture } from '../testing/admin-cli-fixture.ts';

// Portals and users through the real `portaldesk` bin, on either back end.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
});
after(() => cli.close());
const portaldesk = (args: string[], input?: string) => cli.run(args, input);

test('creates portals, lists them, and refuses a second portal with the same domain', async () => {
  const acme = ['portal', 'create', '--domain', 'https://Acme.Example.com/', '--name', 'Acme Inc', '--country', 'de'];
  const created = await portaldesk(acme);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created portal \d+: acme\.example\.com \(Acme Inc, phone country DE\)/);
  assert.equal((await portaldesk(['portal', 'create', '--domain', 'globex.example.com', '--name', 'Globex'])).code, 0);

  const listed = await portaldesk(['portal', 'list']);
  assert.equal(listed.code, 0);
  const lines = listed.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^ID\s+DOMAIN\s+COUNTRY\s+NAME$/);
  assert.match(lines[1] ?? '', /acme\.example\.com\s+DE\s+Acme Inc$/);
  assert.match(lines[2] ?? '', /globex\.example\.com\s+US\s+Globex$/);
  assert.equal(lines.length, 3);

  const again = await portaldesk(['portal', 'create', '--domain', 'acme.example.com', '--name', 'Other']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), 'portaldesk: A portal acme.example.com already exists');
  assert.equal(again.stdout, '');
});

test("creates users with the phone read in the portal's country; one e-mail per portal", async () => {
  const ann = await portaldesk([
    ...['user', 'create', '--portal', 'acme.example.com', '--first-name', 'Ann', '--last-name', 'Lee'],
    ...['--email', 'Ann.Lee@Example.com', '--phone', '030 1234567', '--username', 'ann', '--admin'],
  ]);
  assert.equal(ann.code, 0, ann.stderr);
  assert.match(
    ann.stdout,
    /Created user \d+ in acme\.example\.com: Ann Lee, ann\.lee@example\.com, \+49301234567, @ann, admin/,
  );

  // The same person may have an account in another portal with the same e-mail…
  const inGlobex = await portaldesk([
    ...['user', 'create', '--portal', 'globex.example.com', '--first-name', 'Ann', '--email', 'ann.lee@example.com'],
    '--json',
  ]);
  assert.equal(inGlobex.code, 0, inGlobex.stderr);
  assert.equal((JSON.parse(inGlobex.stdout) as { email: string }).email, 'ann.lee@example.com');
  // …but not two in one portal.
  const duplicate = await portaldesk([
    ...['user', 'create', '--portal', 'acme.example.com', '--first-name', 'Bob', '--email', 'ANN.LEE@example.com'],
  ]);
  assert.equal(duplicate.code, 1);
  assert.equal(duplicate.stderr.trim(), 'portaldesk: acme.example.com already has a user with this e-mail');
  // Phone numbers and user names are read with the portal's country (DE here).
  const badPhone = await portaldesk([
    'user',
    'create',
    '--portal',
    'acme.example.com',
    '--first-name',
    'C',
    '--phone',
    '12',
  ]);
  assert.equal(badPhone.code, 2);
  assert.match(badPhone.stderr, /--phone 12: not a phone number \(numbers without \+ are read as DE\)/);
  const phoneAsName = ['--first-name', 'C', '--username', '030 7654321'];
  const badName = await portaldesk(['user', 'create', '--portal', 'acme.example.com', ...phoneAsName]);
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /--username 030 7654321: use 2–50 letters, digits, dots, dashes or underscores/);

  const listed = await portaldesk(['user', 'list', '--portal', 'acme.example.com']);
  assert.equal(listed.code, 0);
  const rows = listed.stdout.trim().split('\n').slice(1);
  assert.equal(rows.length, 1, 'only Ann: the refused users were not created, Globex is another portal');
  assert.match(rows[0] ?? '', /Ann Lee\s+ann\.lee@example\.com\s+\+49301234567\s+ann\s+admin\s+active/);
});

test('an unknown portal or user fails with exit status 1', async () => {
  const noPortal = await portaldesk(['user', 'list', '--portal', 'nobody.example.com']);
  assert.equal(noPortal.code, 1);
  assert.match(noPortal.stderr, /No portal nobody\.example\.com\. See the portals with: portaldesk portal list/);
  const noUser = await portaldesk([
    'user',
    'deactivate',
    '--portal',
    'acme.example.com',
    '--user',
    'nobody@example.com',
  ]);
  assert.equal(noUser.code, 1);
  assert.match(noUser.stderr, /No user nobody@example\.com in acme\.example\.com/);
});
