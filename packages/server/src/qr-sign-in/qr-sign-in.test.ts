import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  type ActiveSessionInfo,
  type ImNotifyList,
  parseQrSignInLink,
  QR_SIGN_IN_BASE_PATH,
  type QrPhoneView,
  type QrSignInDesktopClient,
  toBase64Url,
} from '@portaldesk/protocol';
import { manualClock } from '../clock/clock.ts';
import type { Portal } from '../portals/portal.ts';
import { leakedSecrets } from '../testing/auth-fixtures.ts';
import { QrSignInTestBed, scan, TEST_DESKTOP_USER_AGENT, TEST_DEVICE } from '../testing/qr-sign-in-fixtures.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const clock = manualClock();
let server: TestServer;
let bed: QrSignInTestBed;
let acme: Portal;
let betaId: number;
/** Every secret a test handled, checked against the server's logs at the end. */
const secrets: string[] = [];
const desktops: QrSignInDesktopClient[] = [];

before(async () => {
  server = await startTestServer({ clock, config: { trustProxy: true } });
  bed = new QrSignInTestBed(server);
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const beta = await server.context.portals.create({ domain: 'beta.localhost', name: 'Beta' });
  betaId = beta.id;
});

after(async () => {
  for (const desktop of desktops) await desktop.close();
  assert.deepEqual(leakedSecrets(server, secrets), [], 'no secret, pointer, code or token is logged');
  await server.close();
});

async function startDesktop(domain = 'acme.localhost') {
  const desktop = await bed.desktop(domain);
  desktops.push(desktop);
  const pointer = parseQrSignInLink(desktop.code.qrUrl)?.pointer ?? '';
  secrets.push(secretOf(desktop), pointer, desktop.code.qrUrl);
  return desktop;
}

/** The desktop's secret, for the log check only: the client never hands it out. */
function secretOf(desktop: QrSignInDesktopClient): string {
  return (desktop as unknown as { secret: string }).secret;
}

async function scanned(phone: TestDesktop, desktop: QrSignInDesktopClient): Promise<QrPhoneView> {
  const res = await scan(phone, desktop.code.qrUrl);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const view = res.body.result as QrPhoneView;
  // Quoted: six bare digits turn up by chance inside timestamps; a logged code would be a string value.
  if (view.checkCode) secrets.push(`"${view.checkCode}"`);
  return view;
}

/** Scan, type the code on the desktop, approve on the phone: the desktop holds the sealed code. */
async function approved(phone: TestDesktop, desktop: QrSignInDesktopClient) {
  const view = await scanned(phone, desktop);
  assert.deepEqual(await desktop.confirm(view.checkCode ?? ''), { accepted: true, triesLeft: 3 });
  const res = await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const event = await desktop.next(['approved']);
  assert.equal(event.state, 'approved');
  secrets.push(event.sealed?.ciphertext ?? '');
  return { view, event };
}

function states(desktop: QrSignInDesktopClient): string[] {
  return desktop.seen.map((e) => e.state);
}

async function rawDesktopCall(path: string, init: { method?: string; secret?: string; body?: unknown } = {}) {
  const res = await bed.fetchFrom(bed.nextAddress())(`${server.portalUrl('acme.localhost')}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.secret ? { authorization: `Bearer ${init.secret}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as { error?: string } & Record<string, unknown> };
}

test('happy path: scan, check code, approve — the desktop ends up signed in like a password sign-in', async () => {
  const { user: ann, phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  assert.equal((await desktop.next(['waiting_for_scan'])).state, 'waiting_for_scan');
  const link = parseQrSignInLink(desktop.code.qrUrl);
  assert.equal(link?.origin, server.portalUrl('acme.localhost'), 'the QR is an ordinary link to this portal');
  assert.ok(desktop.code.qrUrl.includes('/m/qr-sign-in#'), 'it opens the mobile app, the pointer in the fragment');

  const view = await scanned(phone, desktop);
  assert.equal(view.state, 'waiting_for_code');
  assert.match(view.checkCode ?? '', /^\d{6}$/);
  assert.deepEqual(view.device, { name: TEST_DEVICE.deviceName, os: TEST_DEVICE.os });
  assert.equal(view.seenFrom.userAgent, TEST_DESKTOP_USER_AGENT);
  assert.match(view.seenFrom.ip, /^198\.51\.100\./);
  assert.equal(view.sameAddressAsPhone, false, 'the phone is warned that the computer is elsewhere');
  assert.equal((await desktop.next(['scanned'])).state, 'scanned');
  assert.equal(desktop.latest?.sealed, undefined);

  const early = await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId });
  assert.equal(early.body.error, 'QR_WRONG_STEP', 'Approve waits for the code to be typed on the computer');

  assert.deepEqual(await desktop.confirm(view.checkCode ?? ''), { accepted: true, triesLeft: 3 });
  await desktop.next(['waiting_for_approval']);
  const onPhone = (await phone.rest('portaldesk.qrsignin.get', { ID: view.attemptId })).body.result as QrPhoneView;
  assert.equal(onPhone.state, 'waiting_for_approval');
  assert.equal(onPhone.checkCode, undefined);

  assert.equal((await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId })).status, 200);
  const approvedEvent = await desktop.next(['approved']);
  const before = await bed.credentialCounts();
  const signedIn = await desktop.redeem(approvedEvent);
  secrets.push(signedIn.sessionId, signedIn.bitrixSessionId, signedIn.appPassword ?? '');
  assert.equal(signedIn.userId, ann.id);
  assert.equal(signedIn.sessionCookie, signedIn.sessionId);
  assert.ok(signedIn.appPassword);
  assert.equal(signedIn.login, ann.username, 'the login the application password signs in with');
  assert.deepEqual(await bed.credentialCounts(), {
    sessions: before.sessions + 1,
    appPasswords: before.appPasswords + 1,
  });
  await desktop.next(['redeemed']);
  assert.deepEqual(states(desktop), ['waiting_for_scan', 'scanned', 'waiting_for_approval', 'approved', 'redeemed']);

  // The session works like one from the password sign-in…
  const session = new TestDesktop(server, 'acme.localhost');
  session.cookies.set('PHPSESSID', signedIn.sessionId);
  session.sessid = signedIn.bitrixSessionId;
  const list = await session.rest('portaldesk.session.list');
  assert.equal(list.status, 200);
  const current = (list.body.result as ActiveSessionInfo[]).find((s) => s.current);
  assert.equal(current?.method, 'app_password');
  assert.equal(current?.userAgent, TEST_DESKTOP_USER_AGENT);
  // …and the app password signs this desktop in later without anything else.
  const later = new TestDesktop(server, 'acme.localhost', {
    user_os_mark: TEST_DEVICE.user_os_mark,
    user_account: TEST_DEVICE.user_account,
  });
  assert.equal((await later.signIn(ann.username ?? '', signedIn.appPassword ?? '')).status, 200);
  const afterAll = await bed.credentialCounts();

  const steps = (await server.context.qrSignInAudit.steps(acme.id, desktop.attemptId)).map((s) => s.step);
  assert.deepEqual(steps, ['created', 'scanned', 'code_confirmed', 'approved', 'redeemed', 'alert']);
  const audit = await server.context.qrSignInAudit.steps(acme.id, desktop.attemptId);
  assert.equal(audit[0]?.userAgent, TEST_DESKTOP_USER_AGENT);
  assert.equal(audit[1]?.userAgent, 'Mobile Safari (test phone)');
  assert.equal(audit[1]?.userId, ann.id);

  // The user's other sessions get a system notification, pushed and listed.
  const pushed = await server.context.events.readAfter(ann.id, 0, 100);
  assert.ok(
    pushed.some((e) => e.event.command === 'notifyAdd' && e.event.params.settingName === 'portaldesk|newSignIn'),
  );
  const listed = (await phone.rest('im.notify.get')).body.result as ImNotifyList;
  const alert = listed.notifications.find((n) => n.setting_name === 'portaldesk|newSignIn');
  assert.ok(alert, "the phone's notifications show the new sign-in");
  assert.match(alert.text, /^New sign-in on Ann’s laptop \(Linux\) at .* from 198\.51\.100\.\d+\. Not you\? \[URL=/);
  assert.equal(
    alert.params?.revokeUrl,
    `${server.portalUrl('acme.localhost')}/m/settings/sessions?revoke=${current?.id}`,
  );

  // Nothing can be used twice.
  const again = await rawDesktopCall(`${QR_SIGN_IN_BASE_PATH}/${desktop.attemptId}/redeem`, {
    method: 'POST',
    secret: secretOf(desktop),
    body: { redeemCode: toBase64Url(new Uint8Array(32)) },
  });
  assert.equal(again.body.error, 'QR_ATTEMPT_ENDED');
  await assert.rejects(
    desktop.redeem(approvedEvent),
    /QR_ATTEMPT_ENDED/,
    'the same sealed code cannot be redeemed again',
  );
  assert.equal((await scan(phone, desktop.code.qrUrl)).body.error, 'QR_ATTEMPT_ENDED');
  assert.deepEqual(await bed.credentialCounts(), afterAll);
});

test('a pointer older than 30 s is refused; rotation gives a fresh one and kills the old', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const first = desktop.code.qrUrl;
  await desktop.rotate();
  secrets.push(desktop.code.qrUrl);
  assert.notEqual(desktop.code.qrUrl, first);
  const rotatedAway = await scan(phone, first);
  assert.equal(rotatedAway.status, 410);
  assert.equal(rotatedAway.body.error, 'QR_CODE_EXPIRED');

  clock.advance(31_000);
  assert.equal((await scan(phone, desktop.code.qrUrl)).body.error, 'QR_CODE_EXPIRED', 'too old, though unrotated');
  await desktop.rotate();
  secrets.push(desktop.code.qrUrl);
  assert.equal((await scanned(phone, desktop)).state, 'waiting_for_code', 'the fresh one works');
  await assert.rejects(desktop.rotate(), /QR_WRONG_STEP/, 'no new code once scanned');
});

test('the reference client rotates the code until a phone scans', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const shown = [desktop.code.qrUrl];
  desktop.rotateUntilScanned((code) => {
    shown.push(code.qrUrl);
    secrets.push(code.qrUrl);
  }, 300);
  while (shown.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal((await scan(phone, shown[0] ?? '')).body.error, 'QR_CODE_EXPIRED');
  // The code may turn over while the scan is on its way, as on a real screen: scan what is shown.
  // A user has 10 scans per 5 minutes, one of them spent above; a slow machine needs only a few.
  let result = await scan(phone, desktop.code.qrUrl);
  for (let i = 0; i < 7 && result.body.error === 'QR_CODE_EXPIRED'; i++) result = await scan(phone, desktop.code.qrUrl);
  assert.equal(result.body.error, undefined, `the scan was refused: ${result.body.error_description}`);
  assert.equal((result.body.result as QrPhoneView).state, 'waiting_for_code', 'the one shown now works');
  await desktop.next(['scanned']);
  const count = shown.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(shown.length <= count + 1, 'rotation stops once scanned');
});

test('after 120 s the attempt expires, the desktop is told, and nothing can finish it', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const view = await scanned(phone, desktop);
  await desktop.next(['scanned']);
  const counts = await bed.credentialCounts();
  clock.advance(121_000);
  assert.equal((await desktop.state()).state, 'expired');
  assert.equal((await desktop.next(['expired'])).state, 'expired');
  await assert.rejects(desktop.confirm(view.checkCode ?? ''), /QR_ATTEMPT_ENDED/);
  assert.equal(
    (await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId })).body.error,
    'QR_ATTEMPT_ENDED',
  );
  assert.equal((await scan(phone, desktop.code.qrUrl)).body.error, 'QR_CODE_EXPIRED');
  assert.deepEqual(await bed.credentialCounts(), counts);
  const steps = (await server.context.qrSignInAudit.steps(acme.id, desktop.attemptId)).map((s) => s.step);
  assert.deepEqual(steps, ['created', 'scanned', 'expired']);
});

test('a second scanner kills the attempt for both', async () => {
  const { phone: annPhone } = await bed.userWithPhone(acme.id);
  const { phone: benPhone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const view = await scanned(annPhone, desktop);
  const counts = await bed.credentialCounts();
  const second = await scan(benPhone, desktop.code.qrUrl);
  assert.equal(second.status, 409);
  assert.equal(second.body.error, 'QR_ATTEMPT_ENDED');
  const ended = await desktop.next(['failed']);
  assert.deepEqual([ended.state, ended.reason], ['failed', 'second_scan']);
  await assert.rejects(desktop.confirm(view.checkCode ?? ''), /QR_ATTEMPT_ENDED/);
  const late = await annPhone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId });
  assert.equal(late.body.error, 'QR_ATTEMPT_ENDED');
  assert.deepEqual(await bed.credentialCounts(), counts);
  const onPhone = (await annPhone.rest('portaldesk.qrsignin.get', { ID: view.attemptId })).body.result as QrPhoneView;
  assert.deepEqual([onPhone.state, onPhone.reason, onPhone.checkCode], ['failed', 'second_scan', undefined]);
  // The second scanner cannot even look at it.
  assert.equal((await benPhone.rest('portaldesk.qrsignin.get', { ID: view.attemptId })).body.error, 'NOT_FOUND');
});

test('forged, unsigned, re-keyed and junk links are refused and leave the attempt untouched', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const link = parseQrSignInLink(desktop.code.qrUrl);
  assert.ok(link);
  const parts = link.pointer.split('.');
  const signature = parts[4] ?? '';
  const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  const base = `${link.origin}/m/qr-sign-in`;
  const forgeries = [
    `${base}#p=${[...parts.slice(0, 4), flipped].join('.')}&k=${link.keyHash}`,
    `${base}#p=${parts.slice(0, 4).join('.')}&k=${link.keyHash}`,
    `${base}#p=${[...parts.slice(0, 3), (Number.parseInt(parts[3] ?? '0', 36) + 600).toString(36), signature].join('.')}&k=${link.keyHash}`,
    `${base}#p=${link.pointer}&k=${toBase64Url(new Uint8Array(32).fill(7))}`,
    `${base}#p=not-a-pointer&k=${link.keyHash}`,
    'https://example.com/some/page',
  ];
  for (const forged of forgeries) {
    const res = await scan(phone, forged);
    assert.equal(res.status, 400, forged);
    assert.equal(res.body.error, 'QR_CODE_INVALID', forged);
  }
  assert.equal((await desktop.state()).state, 'waiting_for_scan');
  assert.equal((await scanned(phone, desktop)).state, 'waiting_for_code', 'the genuine code still works');
});

test("a portal's QR is refused by another portal, even rewritten to that portal's address", async () => {
  const { phone: betaPhone } = await bed.userWithPhone(betaId, 'beta.localhost');
  const desktop = await startDesktop();
  const counts = await bed.credentialCounts();
  const asIs = await scan(betaPhone, desktop.code.qrUrl);
  assert.equal(asIs.body.error, 'QR_CODE_OTHER_PORTAL');
  const rewritten = desktop.code.qrUrl.replace('acme.localhost', 'beta.localhost');
  assert.equal((await scan(betaPhone, rewritten)).body.error, 'QR_CODE_INVALID');
  assert.equal((await desktop.state()).state, 'waiting_for_scan');
  assert.deepEqual(await bed.credentialCounts(), counts);
});

test("the pointer without the desktop's secret opens nothing: no events, no state, no redeem", async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const attemptId = parseQrSignInLink(desktop.code.qrUrl)?.pointer.split('.')[1] ?? '';
  assert.equal(attemptId, desktop.attemptId, 'a thief of the QR knows the attempt id');
  await approved(phone, desktop);
  const counts = await bed.credentialCounts();
  const guessed = toBase64Url(new Uint8Array(32).fill(1));
  const path = `${QR_SIGN_IN_BASE_PATH}/${attemptId}`;
  for (const [method, suffix] of [
    ['GET', ''],
    ['GET', '/events'],
    ['POST', '/redeem'],
    ['POST', '/cancel'],
  ] as const) {
    const body = method === 'POST' ? { redeemCode: guessed } : undefined;
    const none = await rawDesktopCall(`${path}${suffix}`, { method, ...(body ? { body } : {}) });
    assert.deepEqual([none.status, none.body.error], [401, 'NO_AUTH_FOUND'], `${method} ${suffix} without secret`);
    const wrong = await rawDesktopCall(`${path}${suffix}`, { method, secret: guessed, ...(body ? { body } : {}) });
    assert.deepEqual([wrong.status, wrong.body.error], [404, 'NOT_FOUND'], `${method} ${suffix} with a guess`);
    assert.equal(wrong.body.sealed, undefined);
  }
  assert.deepEqual(await bed.credentialCounts(), counts);
  assert.equal((await desktop.state()).state, 'approved', 'the real desktop can still finish');
});

test('a tampered ciphertext does not open, and a wrong redeem code kills the attempt', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const { event } = await approved(phone, desktop);
  const sealed = event.sealed;
  assert.ok(sealed);
  const bytes = Buffer.from(sealed.ciphertext, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  const tampered = { ...event, sealed: { ...sealed, ciphertext: bytes.toString('base64url') } };
  const counts = await bed.credentialCounts();
  await assert.rejects(desktop.redeem(tampered), /OpenError|decrypt|open/i);
  const otherEnc = { ...event, sealed: { ...sealed, enc: toBase64Url(new Uint8Array(32).fill(9)) } };
  await assert.rejects(desktop.redeem(otherEnc));
  assert.equal((await desktop.state()).state, 'approved', 'nothing reached the server');

  const wrong = await rawDesktopCall(`${QR_SIGN_IN_BASE_PATH}/${desktop.attemptId}/redeem`, {
    method: 'POST',
    secret: secretOf(desktop),
    body: { redeemCode: toBase64Url(new Uint8Array(32).fill(3)) },
  });
  assert.equal(wrong.body.error, 'QR_ATTEMPT_ENDED');
  assert.deepEqual(await desktop.state(), {
    state: 'failed',
    reason: 'wrong_redeem_code',
    expiresAt: (await desktop.state()).expiresAt,
  });
  await assert.rejects(desktop.redeem(event), /QR_ATTEMPT_ENDED/, 'the genuine code is dead too');
  assert.deepEqual(await bed.credentialCounts(), counts);
});

test('three wrong check codes kill the attempt', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const view = await scanned(phone, desktop);
  const right = view.checkCode ?? '';
  const wrongCode = right === '000000' ? '111111' : '000000';
  assert.deepEqual(await desktop.confirm(wrongCode), { accepted: false, triesLeft: 2 });
  assert.deepEqual(await desktop.confirm('12'), { accepted: false, triesLeft: 1 });
  assert.deepEqual(await desktop.confirm(wrongCode), { accepted: false, triesLeft: 0 });
  const ended = await desktop.next(['failed']);
  assert.equal(ended.reason, 'too_many_wrong_codes');
  await assert.rejects(desktop.confirm(right), /QR_ATTEMPT_ENDED/);
  assert.equal(
    (await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId })).body.error,
    'QR_ATTEMPT_ENDED',
  );
  const steps = (await server.context.qrSignInAudit.steps(acme.id, desktop.attemptId)).map((s) => s.step);
  assert.deepEqual(steps, ['created', 'scanned', 'wrong_code', 'wrong_code', 'wrong_code', 'failed']);
});

test('parallel guesses cannot exceed three tries', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const view = await scanned(phone, desktop);
  const wrong = Array.from({ length: 8 }, (_, i) => String(i).repeat(6)).filter((c) => c !== view.checkCode);
  const results = await Promise.allSettled(wrong.map((code) => desktop.confirm(code)));
  const answered = results.filter((r) => r.status === 'fulfilled');
  assert.equal(answered.length, 3, 'three guesses are weighed; the rest are refused');
  await assert.rejects(desktop.confirm(view.checkCode ?? ''), /QR_ATTEMPT_ENDED/);
});

test('a denied attempt ends; the desktop is told and cannot go on', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const view = await scanned(phone, desktop);
  const counts = await bed.credentialCounts();
  const denied = await phone.rest('portaldesk.qrsignin.deny', { ID: view.attemptId });
  assert.equal((denied.body.result as QrPhoneView).state, 'denied');
  assert.equal((await desktop.next(['denied'])).state, 'denied');
  await assert.rejects(desktop.confirm(view.checkCode ?? ''), /QR_ATTEMPT_ENDED/);
  assert.equal(
    (await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId })).body.error,
    'QR_ATTEMPT_ENDED',
  );
  assert.deepEqual(await bed.credentialCounts(), counts);
});

test('deny after approval, before the desktop redeems, still stops the sign-in', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const { view, event } = await approved(phone, desktop);
  const counts = await bed.credentialCounts();
  assert.equal((await phone.rest('portaldesk.qrsignin.deny', { ID: view.attemptId })).status, 200);
  await assert.rejects(desktop.redeem(event), /QR_ATTEMPT_ENDED/);
  assert.deepEqual(await bed.credentialCounts(), counts);
});

test('a phone signed out before approval ends the attempt', async () => {
  const { user, phone } = await bed.userWithPhone(acme.id);
  const laptop = await bed.phone(user.username ?? '', 'pw');
  const desktop = await startDesktop();
  const view = await scanned(phone, desktop);
  await desktop.confirm(view.checkCode ?? '');
  const phoneSession = ((await phone.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[]).find(
    (s) => s.current,
  );
  const counts = await bed.credentialCounts();
  assert.equal((await laptop.rest('portaldesk.session.revoke', { ID: phoneSession?.id })).status, 200);
  const ended = await desktop.next(['failed']);
  assert.equal(ended.reason, 'phone_signed_out');
  const late = await phone.rest('portaldesk.qrsignin.approve', { ID: view.attemptId });
  assert.equal(late.body.error, 'NO_AUTH_FOUND');
  assert.deepEqual(await bed.credentialCounts(), { ...counts, sessions: counts.sessions - 1 });
});

test('a phone session ended elsewhere after approval (no signal reached us) makes the redeem fail', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const { event } = await approved(phone, desktop);
  // Another server process revoked it in the shared database; this one was never told.
  await server.context.db.query(
    `UPDATE sessions SET revoked_at = now() WHERE id = (
       SELECT scanner_session_id FROM qr_sign_in_attempts WHERE id = $1)`,
    [desktop.attemptId],
  );
  const counts = await bed.credentialCounts();
  await assert.rejects(desktop.redeem(event), /QR_ATTEMPT_ENDED/);
  assert.equal((await desktop.state()).reason, 'phone_signed_out');
  assert.deepEqual(await bed.credentialCounts(), counts);
});

test('an OAuth or webhook caller could never approve: the methods want a session and its sessid', async () => {
  const { phone } = await bed.userWithPhone(acme.id);
  const desktop = await startDesktop();
  const noSessid = await phone.rest('portaldesk.qrsignin.scan', { QR: desktop.code.qrUrl }, { withSessid: false });
  assert.equal(noSessid.body.error, 'INVALID_CSRF');
  assert.equal((await desktop.state()).state, 'waiting_for_scan');
});

test('bad input at creation is refused in the protocol format and creates nothing', async () => {
  const fetch = bed.fetchFrom(bed.nextAddress());
  const url = `${server.portalUrl('acme.localhost')}${QR_SIGN_IN_BASE_PATH}/`;
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: string } };
  };
  const [{ count: before = 0 } = {}] = await server.context.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM qr_sign_in_attempts',
  );
  const key = toBase64Url(new Uint8Array(32).fill(5));
  const good = { publicKey: key, secretHash: key, ...TEST_DEVICE };
  assert.equal((await post({ ...good, publicKey: 'short' })).body.error, 'INVALID_ARG_VALUE');
  assert.equal((await post({ ...good, deviceName: '' })).body.error, 'INVALID_ARG_VALUE');
  assert.equal((await post({ ...good, publicKey: toBase64Url(new Uint8Array(32)) })).body.error, 'QR_CODE_INVALID');
  assert.equal(
    (await post(good, { origin: 'https://evil.example' })).status,
    403,
    'a page of another site cannot start one',
  );
  const [{ count: after = 0 } = {}] = await server.context.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM qr_sign_in_attempts',
  );
  assert.equal(after, before);
});

test('one attempt gets a few event streams at most', async () => {
  const desktop = await startDesktop();
  await desktop.next(['waiting_for_scan']);
  const fetch = bed.fetchFrom(bed.nextAddress());
  const url = `${server.portalUrl('acme.localhost')}${QR_SIGN_IN_BASE_PATH}/${desktop.attemptId}/events`;
  const controller = new AbortController();
  const headers = { authorization: `Bearer ${secretOf(desktop)}` };
  const opened = [await fetch(url, { headers, signal: controller.signal })];
  opened.push(await fetch(url, { headers, signal: controller.signal }));
  const refused = await fetch(url, { headers, signal: controller.signal });
  assert.deepEqual(
    opened.map((r) => r.status),
    [200, 200],
  );
  assert.equal(refused.status, 429, "the desktop's own stream and two more are the most");
  controller.abort();
});
