import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OtpConfirmation, OtpEnrollment, OtpStatus } from '@portaldesk/protocol';
import { manualClock } from '../../clock/clock.ts';
import type { Portal } from '../../portals/portal.ts';
import { createUserWithPassword, leakedSecrets } from '../../testing/auth-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { User } from '../../users/user.ts';
import { totpCode } from './totp.ts';

const clock = manualClock();
const STEP_MS = 30_000;
let server: TestServer;
let acme: Portal;
const secretsSeen: string[] = [];

before(async () => {
  server = await startTestServer({ clock });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
});
after(async () => {
  assert.deepEqual(leakedSecrets(server, secretsSeen), []);
  await server.close();
});

/** A user with two-factor on, enrolled through the REST methods as a person would. */
async function enrolledUser(
  name: string,
): Promise<{ user: User; password: string; secret: string; recovery: string[] }> {
  const password = `${name} secret password`;
  const user = await createUserWithPassword(
    server,
    acme.id,
    { firstName: name, lastName: 'X', username: name },
    password,
  );
  const desktop = new TestDesktop(server, 'acme.localhost');
  assert.equal((await desktop.signIn(name, password)).status, 200);
  const enrolled = await desktop.rest('portaldesk.otp.enroll');
  assert.equal(enrolled.status, 200);
  const enrollment = enrolled.body.result as OtpEnrollment;
  assert.match(enrollment.uri, /^otpauth:\/\/totp\/Acme:.+\?.*secret=/);
  assert.match(enrollment.qrImage, /^data:image\/png;base64,/);
  const wrong = await desktop.rest('portaldesk.otp.confirm', { CODE: '000000' });
  assert.equal(wrong.body.error, 'ERROR_ARGUMENT');
  const confirmed = await desktop.rest('portaldesk.otp.confirm', { CODE: totpCode(enrollment.secret, clock.now()) });
  assert.equal(confirmed.status, 200);
  const { recoveryCodes } = confirmed.body.result as OtpConfirmation;
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  secretsSeen.push(password, enrollment.secret, ...recoveryCodes);
  clock.advance(5 * 60_000);
  return { user, password, secret: enrollment.secret, recovery: recoveryCodes };
}

test('sign-in asks for the code until a valid one comes, then issues an app password', async () => {
  const { password, secret } = await enrolledUser('carol');
  const desktop = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'laptop', user_account: 'carol' });
  const first = await desktop.signIn('carol', password);
  assert.equal(first.status, 401);
  assert.deepEqual(first.body, { success: false, needOtp: true });
  assert.deepEqual(first.setCookies, [], 'no session before the second factor');
  const code = totpCode(secret, clock.now());
  secretsSeen.push(code);
  const wrong = await desktop.signIn('carol', password, { otp: code === '123456' ? '654321' : '123456' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, { success: false, needOtp: true, code: 'wrong_otp' });
  const ok = await desktop.signIn('carol', password, { otp: code });
  assert.equal(ok.status, 200);
  assert.ok(ok.body.success);
  assert.match(ok.body.appPassword ?? '', /^[a-z2-7]{32}$/);
  secretsSeen.push(ok.body.appPassword ?? '', ok.body.sessionId);

  const replay = await new TestDesktop(server, 'acme.localhost').signIn('carol', password, { otp: code });
  assert.equal(replay.status, 401, 'an accepted code cannot be used again');
  assert.deepEqual(replay.body, { success: false, needOtp: true, code: 'wrong_otp' });
});

test('codes one step off are accepted, two steps off are refused', async () => {
  const { password, secret } = await enrolledUser('dave');
  const signIn = (at: number) =>
    new TestDesktop(server, 'acme.localhost').signIn('dave', password, {
      otp: totpCode(secret, new Date(clock.now().getTime() + at * STEP_MS)),
    });
  assert.equal((await signIn(-2)).status, 401, 'two steps behind');
  assert.equal((await signIn(+2)).status, 401, 'two steps ahead');
  assert.equal((await signIn(-1)).status, 200, 'one step behind');
  clock.advance(5 * 60_000);
  assert.equal((await signIn(+1)).status, 200, 'one step ahead');
  assert.equal((await signIn(-1)).status, 401, 'an older step than the last one used is a replay');
});

test('a recovery code signs in once in place of the code', async () => {
  const { password, recovery } = await enrolledUser('erin');
  const code = recovery[3] ?? '';
  const first = await new TestDesktop(server, 'acme.localhost').signIn('erin', password, { otp: code.toUpperCase() });
  assert.equal(first.status, 200);
  assert.ok(first.body.success && first.body.appPassword, 'a recovery-code sign-in issues an app password too');
  const again = await new TestDesktop(server, 'acme.localhost').signIn('erin', password, { otp: code });
  assert.equal(again.status, 401);
  assert.deepEqual(again.body, { success: false, needOtp: true, code: 'wrong_otp' });
  const other = await new TestDesktop(server, 'acme.localhost').signIn('erin', password, { otp: recovery[4] ?? '' });
  assert.equal(other.status, 200);
  const status = new TestDesktop(server, 'acme.localhost');
  await status.signIn('erin', password, { otp: recovery[5] ?? '' });
  assert.deepEqual((await status.rest('portaldesk.otp.status')).body.result, { enabled: true, recoveryCodesLeft: 7 });
});

test('the app password replaces password and code, only on its own desktop, until revoked', async () => {
  const { password, secret } = await enrolledUser('fay');
  const binding = { user_os_mark: 'fays-pc', user_account: 'fay' };
  const desktop = new TestDesktop(server, 'acme.localhost', binding);
  const otp = await desktop.signIn('fay', password, { otp: totpCode(secret, clock.now()) });
  assert.ok(otp.body.success);
  const appPassword = otp.body.appPassword ?? '';
  secretsSeen.push(appPassword);

  const fromDesktop = new TestDesktop(server, 'acme.localhost', binding);
  const viaApp = await fromDesktop.signIn('fay', appPassword);
  assert.equal(viaApp.status, 200, 'no code asked with the app password');
  assert.ok(viaApp.body.success && viaApp.body.appPassword === undefined);

  const otherMachine = await new TestDesktop(server, 'acme.localhost', { ...binding, user_os_mark: 'stolen' }).signIn(
    'fay',
    appPassword,
  );
  assert.equal(otherMachine.status, 401);
  assert.deepEqual(otherMachine.body, { success: false });
  const otherAccount = await new TestDesktop(server, 'acme.localhost', { ...binding, user_account: 'eve' }).signIn(
    'fay',
    appPassword,
  );
  assert.equal(otherAccount.status, 401);

  const listed = await desktop.rest('portaldesk.apppassword.list');
  const items = listed.body.result as { id: number; osMark: string; osAccount: string }[];
  assert.equal(items.length, 1);
  assert.deepEqual(
    { osMark: items[0]?.osMark, osAccount: items[0]?.osAccount },
    { osMark: 'fays-pc', osAccount: 'fay' },
  );
  assert.ok(!JSON.stringify(listed.body).includes(appPassword), 'the password is never shown again');

  const revoked = await desktop.rest('portaldesk.apppassword.revoke', { ID: items[0]?.id });
  assert.equal(revoked.status, 200);
  assert.equal((await fromDesktop.rest('portaldesk.otp.status')).body.error, 'NO_AUTH_FOUND', 'its session ended');
  const afterRevoke = await new TestDesktop(server, 'acme.localhost', binding).signIn('fay', appPassword);
  assert.equal(afterRevoke.status, 401);
  assert.deepEqual(afterRevoke.body, { success: false });
});

test('renew_password=y issues a new app password that replaces the old one', async () => {
  const password = 'gus password';
  await createUserWithPassword(server, acme.id, { firstName: 'Gus', lastName: 'X', username: 'gus' }, password);
  secretsSeen.push(password);
  const desktop = new TestDesktop(server, 'acme.localhost');
  const first = await desktop.signIn('gus', password, { renew_password: 'y' });
  assert.ok(first.body.success && first.body.appPassword);
  const second = await desktop.signIn('gus', first.body.appPassword, { renew_password: 'y' });
  assert.ok(second.body.success && second.body.appPassword);
  secretsSeen.push(first.body.appPassword, second.body.appPassword);
  assert.equal((await desktop.signIn('gus', first.body.appPassword)).status, 401);
  assert.equal((await desktop.signIn('gus', second.body.appPassword)).status, 200);
});

test('disabling asks for a current code; the admin reset and the seed helper work', async () => {
  const { user, password, secret } = await enrolledUser('hal');
  const desktop = new TestDesktop(server, 'acme.localhost');
  await desktop.signIn('hal', password, { otp: totpCode(secret, clock.now()) });
  clock.advance(STEP_MS);
  const wrong = await desktop.rest('portaldesk.otp.disable', { CODE: '000000' });
  assert.equal(wrong.body.error, 'ERROR_ARGUMENT');
  const ok = await desktop.rest('portaldesk.otp.disable', { CODE: totpCode(secret, clock.now()) });
  assert.equal(ok.status, 200);
  assert.equal((await new TestDesktop(server, 'acme.localhost').signIn('hal', password)).status, 200);

  const seeded = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  await server.context.twoFactor.enableWithSecret(acme.id, user.id, seeded);
  assert.deepEqual((await new TestDesktop(server, 'acme.localhost').signIn('hal', password)).body, {
    success: false,
    needOtp: true,
  });
  clock.advance(STEP_MS);
  const withSeeded = await new TestDesktop(server, 'acme.localhost').signIn('hal', password, {
    otp: totpCode(seeded, clock.now()),
  });
  assert.equal(withSeeded.status, 200);
  await server.context.twoFactor.resetForUser(acme.id, user.id);
  assert.equal((await new TestDesktop(server, 'acme.localhost').signIn('hal', password)).status, 200);
});

test('disabling with the account password instead of a code; a wrong one or none changes nothing', async () => {
  const { password, secret } = await enrolledUser('ivy');
  const desktop = new TestDesktop(server, 'acme.localhost');
  await desktop.signIn('ivy', password, { otp: totpCode(secret, clock.now()) });
  const none = await desktop.rest('portaldesk.otp.disable', {});
  assert.equal(none.status, 400);
  assert.equal(none.body.error, 'INVALID_ARG_VALUE');
  const wrong = await desktop.rest('portaldesk.otp.disable', { PASSWORD: 'not it' });
  assert.deepEqual(wrong.body, { error: 'WRONG_PASSWORD', error_description: 'The current password is wrong' });
  assert.equal(((await desktop.rest('portaldesk.otp.status')).body.result as OtpStatus).enabled, true);
  const ok = await desktop.rest('portaldesk.otp.disable', { PASSWORD: password });
  assert.equal(ok.status, 200);
  assert.equal(((await desktop.rest('portaldesk.otp.status')).body.result as OtpStatus).enabled, false);
  assert.equal((await new TestDesktop(server, 'acme.localhost').signIn('ivy', password)).status, 200);
});

test('the web or phone sign-in form with a code gets a browser session, never an application password', async () => {
  const { password, secret } = await enrolledUser('jay');
  // The portal's and the phone's own form send no `user_os_mark`: there is no desktop to bind to.
  const phone = new TestDesktop(server, 'acme.localhost', { user_os_mark: '', user_account: '' });
  clock.advance(STEP_MS);
  const code = totpCode(secret, clock.now());
  secretsSeen.push(code);
  const signedIn = await phone.signIn('jay', password, { otp: code });
  assert.equal(signedIn.status, 200);
  assert.ok(signedIn.body.success);
  assert.equal(signedIn.body.appPassword, undefined);
  secretsSeen.push(signedIn.body.sessionId);
  const sessions = (await phone.rest('portaldesk.session.list')).body.result as { current: boolean; method: string }[];
  assert.deepEqual(
    sessions.filter((s) => s.current).map((s) => s.method),
    ['password'],
    'listed by its browser, not as a desktop',
  );
  assert.deepEqual((await phone.rest('portaldesk.apppassword.list')).body.result, []);
});
