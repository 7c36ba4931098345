import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyPassword } from '../auth/password-hasher.ts';
import { AdminCliFixture } from '../testing/admin-cli-fixture.ts';

// Passwords, deactivation and two-factor resets through the real `portaldesk` bin, on either
// back end. The portal and Ann are made in-process first: creating them is admin-cli.test.ts's.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
  await cli.withContext(async ({ portals, users }) => {
    const acme = await portals.create({ domain: 'acme.example.com', name: 'Acme Inc', defaultCountry: 'DE' });
    await users.create(acme.id, { firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@example.com', username: 'ann' });
  });
});
after(() => cli.close());
const portaldesk = (args: string[], input?: string) => cli.run(args, input);
const withContext: AdminCliFixture['withContext'] = (work) => cli.withContext(work);

async function storedUser(domain: string, email: string) {
  return cli.withDatabase(async (db) => {
    const [row] = await db.query<{ id: number; phone: string | null; active: boolean; password_hash: string | null }>(
      `SELECT u.id, u.phone, u.active, u.password_hash FROM users u JOIN portals p ON p.id = u.portal_id
       WHERE p.domain = $1 AND u.email = $2`,
      [domain, email],
    );
    return row;
  });
}

test('sets a password only from stdin or a terminal, at least 8 characters, as argon2id', async () => {
  const setPassword = ['user', 'set-password', '--portal', 'acme.example.com', '--user', 'ann'];
  const noTerminal = await portaldesk(setPassword);
  assert.equal(noTerminal.code, 2);
  assert.match(noTerminal.stderr, /No terminal to ask for the password on: pipe it in and add --password-stdin/);
  const short = await portaldesk([...setPassword, '--password-stdin'], 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /at least 8 characters/);
  assert.equal((await storedUser('acme.example.com', 'ann.lee@example.com'))?.password_hash, null, 'nothing set yet');

  const result = await portaldesk([...setPassword, '--password-stdin'], 'correct horse battery\n');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Password set for user \d+ \(Ann Lee\) in acme\.example\.com/);
  const hash = (await storedUser('acme.example.com', 'ann.lee@example.com'))?.password_hash ?? '';
  assert.match(hash, /^\$argon2id\$/);
  assert.equal(await verifyPassword(hash, 'correct horse battery'), true);
  assert.equal(await verifyPassword(hash, 'correct horse battery\n'), false, 'the line end is not part of it');
});

test('creates a user with a password in one step; deactivating them ends their sessions', async () => {
  const bob = await portaldesk(
    [
      ...['user', 'create', '--portal', 'acme.example.com', '--first-name', 'Bob', '--email', 'bob@example.com'],
      ...['--phone', '+1 415 555 0123', '--password-stdin'],
    ],
    'bobs password',
  );
  assert.equal(bob.code, 0, bob.stderr);
  assert.match(bob.stdout, /password set/);
  const session = await withContext(async ({ portals, sessions, db }) => {
    const portal = await portals.findByDomain('acme.example.com');
    const [row] = await db.query<{ id: number; password_hash: string }>(
      "SELECT id, password_hash FROM users WHERE email = 'bob@example.com'",
    );
    assert.equal(await verifyPassword(row?.password_hash ?? '', 'bobs password'), true);
    const input = { portalId: portal?.id ?? 0, userId: row?.id ?? 0, appPasswordId: null, ip: null, userAgent: null };
    return sessions.open(input);
  });

  const deactivated = await portaldesk([
    'user',
    'deactivate',
    '--portal',
    'acme.example.com',
    '--user',
    '+14155550123',
  ]);
  assert.equal(deactivated.code, 0, deactivated.stderr);
  assert.match(deactivated.stdout, /User \d+ \(Bob\) in acme\.example\.com is deactivated; signed out of 1 session$/m);
  await withContext(async ({ sessions, db }) => {
    assert.equal(await sessions.validate(session.portalId, session.token), null, "Bob's session has ended");
    const [row] = await db.query<{ active: boolean }>("SELECT active FROM users WHERE email = 'bob@example.com'");
    assert.equal(row?.active, false);
  });
});

test('resets two-factor sign-in for a user who lost their phone', async () => {
  const { portalId, userId } = await withContext(async ({ portals, users, twoFactor }) => {
    const portal = await portals.findByDomain('acme.example.com');
    const ann = await users.findByLogin(portal?.id ?? 0, { kind: 'username', value: 'ann' });
    await twoFactor.enableWithSecret(portal?.id ?? 0, ann?.id ?? 0, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    return { portalId: portal?.id ?? 0, userId: ann?.id ?? 0 };
  });
  const reset = await portaldesk([
    'user',
    'reset-2fa',
    '--portal',
    'acme.example.com',
    '--user',
    'ann.lee@example.com',
  ]);
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /Two-factor sign-in is off for user \d+ \(Ann Lee\) in acme\.example\.com/);
  assert.equal(await withContext(({ twoFactor }) => twoFactor.isEnabled(portalId, userId)), false);
});
