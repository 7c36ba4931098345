import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CSRF_HEADER, type OtpConfirmation, type OtpEnrollment, SESSION_COOKIE } from '@portaldesk/protocol';
import { manualClock } from '@portaldesk/server';
import {
  createUserWithPassword,
  leakedSecrets,
  startTestServer,
  TestDesktop,
  type TestServer,
  totpCode,
} from '@portaldesk/server/testing';
import { SettingsHolder } from '../config/settings-holder.ts';
import { SettingsStore } from '../config/settings-store.ts';
import { createDesktopFetch } from '../portal/desktop-http-client.ts';
import { PortalError } from '../portal/portal-errors.ts';
import { EncryptedFileVault } from '../vault/encrypted-file-vault.ts';
import { AccountSignIn, type PortalSession } from './account-sign-in.ts';

const clock = manualClock();
const root = mkdtempSync(join(tmpdir(), 'portaldesk-accounts-'));
const fetch = createDesktopFetch();
let server: TestServer;
let address: string;
const secretsSeen: string[] = [];

before(async () => {
  server = await startTestServer({ clock });
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  address = `acme.localhost:${server.port}`;
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.test', username: 'ann' },
    'ann password 1',
  );
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Carol', lastName: 'Diaz', username: 'carol' },
    'carol password 1',
  );
  secretsSeen.push('ann password 1', 'carol password 1');
});
after(async () => {
  assert.deepEqual(leakedSecrets(server, secretsSeen), []);
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
async function freshDesktop(osMark = 'machine-1') {
  n += 1;
  const dir = join(root, `desktop-${n}`);
  const store = new SettingsStore({ path: join(dir, 'config', 'settings.json') });
  const settings = new SettingsHolder((await store.load()).settings, store);
  const vault = new EncryptedFileVault({ vaultPath: join(dir, 'data', 'vault'), keyPath: join(dir, 'config', 'key') });
  const accounts = new AccountSignIn({
    fetch,
    identity: { osMark, osAccount: 'ann' },
    vault,
    settings,
    online: () => true,
  });
  return { dir, settings, vault, accounts };
}

/** The session works: the portal answers a REST call made with it. */
async function sessionWorks(session: PortalSession): Promise<boolean> {
  const response = await fetch(`${session.origin}/rest/portaldesk.session.list.json`, {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${session.cookies.get(SESSION_COOKIE)}`,
      [CSRF_HEADER]: session.sessid,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  return response.status === 200;
}

function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

test('signing in adds the account and keeps an application password, never the password', async () => {
  const { dir, settings, vault, accounts } = await freshDesktop();
  const result = await accounts.signIn({
    address: ` ACME.localhost:${server.port}/ `,
    login: 'ann@acme.test',
    password: 'ann password 1',
  });
  assert.equal(result.status, 'signed-in');
  assert.ok(result.rememberedAppPassword);
  assert.ok(await sessionWorks(result.session));
  secretsSeen.push(result.session.sessid, ...result.session.cookies.values());
  const saved = settings.get();
  assert.equal(saved.activeAccountId, result.account.id);
  assert.deepEqual(saved.accounts[0]?.portal, {
    origin: `http://acme.localhost:${server.port}`,
    title: 'Acme',
  });
  assert.equal(saved.accounts[0]?.user.login, 'ann@acme.test');
  const appPassword = await vault.get(result.account.id, 'app-password');
  assert.ok(appPassword && appPassword !== 'ann password 1');
  secretsSeen.push(appPassword);
  assert.doesNotMatch(filesUnder(dir), /ann password 1/);

  const again = await accounts.resume(result.account.id);
  assert.ok(await sessionWorks(again), 'a later start signs in with the application password');
  secretsSeen.push(again.sessid, ...again.cookies.values());
});

test('with two-factor on, the code is asked once; later sign-ins never ask it again', async () => {
  const enrolling = new TestDesktop(server, 'acme.localhost');
  assert.equal((await enrolling.signIn('carol', 'carol password 1')).status, 200);
  const enrollment = (await enrolling.rest('portaldesk.otp.enroll')).body.result as OtpEnrollment;
  const confirmed = await enrolling.rest('portaldesk.otp.confirm', { CODE: totpCode(enrollment.secret, clock.now()) });
  secretsSeen.push(enrollment.secret, ...(confirmed.body.result as OtpConfirmation).recoveryCodes);
  clock.advance(5 * 60_000);

  const { accounts, vault } = await freshDesktop('machine-2');
  const first = await accounts.signIn({ address, login: 'carol', password: 'carol password 1' });
  assert.deepEqual(first, { status: 'need-otp' });
  await assert.rejects(
    accounts.signIn({ address, login: 'carol', password: 'carol password 1', otp: '000000' }),
    (e: unknown) => e instanceof PortalError && e.code === 'WRONG_OTP',
  );
  const code = totpCode(enrollment.secret, clock.now());
  secretsSeen.push(code);
  const second = await accounts.signIn({ address, login: 'carol', password: 'carol password 1', otp: code });
  assert.equal(second.status, 'signed-in');
  secretsSeen.push(second.session.sessid, ...second.session.cookies.values());
  const appPassword = await vault.get(second.account.id, 'app-password');
  assert.ok(appPassword);
  secretsSeen.push(appPassword);

  clock.advance(60 * 60_000);
  const resumed = await accounts.resume(second.account.id);
  assert.ok(await sessionWorks(resumed), 'no code asked, none needed');
  secretsSeen.push(resumed.sessid, ...resumed.cookies.values());
});

test('a wrong password is told as such and adds nothing', async () => {
  const { settings, accounts } = await freshDesktop();
  await assert.rejects(
    accounts.signIn({ address, login: 'ann@acme.test', password: 'not it' }),
    (e: unknown) => e instanceof PortalError && e.code === 'WRONG_CREDENTIALS',
  );
  assert.deepEqual(settings.get().accounts, []);
});

test('no password is sent to an address that is not a portal', async () => {
  const { accounts } = await freshDesktop();
  const before = server.logs.length;
  await assert.rejects(
    accounts.signIn({ address: `nobody.localhost:${server.port}`, login: 'ann@acme.test', password: 'ann password 1' }),
    (e: unknown) => e instanceof PortalError && e.code === 'NOT_A_PORTAL',
  );
  assert.equal(
    server.logs.slice(before).some((line) => line.includes('/desktop_app/login')),
    false,
  );
});

test('a revoked application password asks for the password again', async () => {
  const { accounts } = await freshDesktop('machine-3');
  const result = await accounts.signIn({ address, login: 'ann', password: 'ann password 1' });
  assert.equal(result.status, 'signed-in');
  secretsSeen.push(result.session.sessid, ...result.session.cookies.values());
  const list = await fetch(`${result.session.origin}/rest/portaldesk.apppassword.list.json`, {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${result.session.cookies.get(SESSION_COOKIE)}`,
      [CSRF_HEADER]: result.session.sessid,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  const items = ((await list.json()) as { result: { id: number; osMark: string }[] }).result;
  const mine = items.find((item) => item.osMark === 'machine-3');
  assert.ok(mine);
  const revoke = await fetch(`${result.session.origin}/rest/portaldesk.apppassword.revoke.json`, {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${result.session.cookies.get(SESSION_COOKIE)}`,
      [CSRF_HEADER]: result.session.sessid,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ID: mine.id }),
  });
  assert.equal(revoke.status, 200);
  await assert.rejects(
    accounts.resume(result.account.id),
    (e: unknown) => e instanceof PortalError && e.code === 'ACCOUNT_NEEDS_PASSWORD',
  );
});
