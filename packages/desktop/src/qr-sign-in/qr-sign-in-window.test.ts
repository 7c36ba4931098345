import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { manualClock } from '@portaldesk/server';
import {
  createUserWithPassword,
  leakedSecrets,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { DesktopApp } from '../app/desktop-app.ts';
import { findBrowser } from '../browser/browser-discovery.ts';
import { appPaths } from '../paths/app-paths.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import { decodeQrFromPng, writeQrVideo } from '../testing/qr-camera-feed.ts';
import {
  type RecordingNotificationService,
  startRecordingNotificationService,
} from '../testing/recording-notification-service.ts';
import { type RecordingTrayHost, startRecordingTrayHost } from '../testing/recording-tray-host.ts';
import { type PrivateSessionBus, startSessionBus } from '../testing/session-bus.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';

// QR sign-in end to end: the desktop under Xvfb shows the QR in its login window; the test reads
// it from a screenshot and plays it as the camera of a phone-sized Chromium signed in to the
// mobile web app, which scans it; the check code is typed on the desktop, the phone approves, and
// the desktop is signed in like after a password and receives a message. No keyring service is
// reachable (the bus address points nowhere), so the encrypted-file vault is used.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-qr-'));
const paths = appPaths({ PORTALDESK_HOME: home });
const cameraFeed = join(home, 'phone-camera.y4m');
const PASSWORD = 'ann phone password';
const PHONE = { width: 360, height: 780 };
const clock = manualClock(new Date());

let server: TestServer;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let phoneBrowser: Browser;
let app: DesktopApp | undefined;
let annId: number;
let bob: TestDesktop;
let address: string;
let origin: string;

before(async () => {
  requireBuiltUi('login.html');
  server = await startTestServer({ clock });
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  annId = (
    await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD)
  ).id;
  await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Ray', username: 'bob' }, PASSWORD);
  bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'bob-machine', user_account: 'bob' });
  assert.equal((await bob.signIn('bob', PASSWORD)).status, 200);
  address = `acme.localhost:${server.port}`;
  origin = server.portalUrl('acme.localhost');
  [display, bus] = await Promise.all([startXvfb(), startSessionBus()]);
  notifications = await startRecordingNotificationService(bus.address);
  // The tray shares the bus: give it a host, as a desktop session has.
  trayHost = await startRecordingTrayHost(bus.address);
  // The camera shows nothing useful until the test knows what the desktop's QR says.
  writeQrVideo(cameraFeed, 'https://example.invalid/not-yet');
  phoneBrowser = await chromium.launch({
    executablePath: findBrowser().executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraFeed}`,
    ],
  });
});

after(async () => {
  await app?.quit();
  await phoneBrowser?.close();
  await notifications?.stop();
  await trayHost?.stop();
  await Promise.all([display?.stop(), bus?.stop()]);
  assert.deepEqual(leakedSecrets(server, [PASSWORD]), []);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function startApp(): Promise<DesktopApp> {
  return startDesktopUnderTest(display, {
    paths,
    notificationBus: bus.address,
  });
}

async function phoneSignedIn(): Promise<Page> {
  const context = await phoneBrowser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${origin}/m/scan`);
  await page.getByLabel('Login').fill('ann');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('qr-start-camera').waitFor({ timeout: 15_000 });
  return page;
}

/** The login window's QR view, opened and started for the test portal. */
async function showQr(login: Page): Promise<string> {
  await login.getByTestId('choose-qr-sign-in').click();
  await login.locator('input[name=qr-address]').fill(address);
  await login.getByRole('button', { name: 'Show QR code' }).click();
  return readQr(login);
}

/** What a camera pointed at the login window reads. */
async function readQr(login: Page): Promise<string> {
  await login.getByTestId('qr-code').waitFor({ timeout: 15_000 });
  return decodeQrFromPng(await login.screenshot());
}

const status = (login: Page) => login.getByTestId('qr-sign-in-status').textContent();

test('end to end: the phone scans the desktop’s QR through its camera, the code is confirmed, the desktop signs in', async () => {
  app = await startApp();
  const login = (await app.router.showFirstWindow()).page;
  // The chat window is open before there is any account: it follows the sign-in by itself.
  const chat = (await app.router.showChat()).page;
  await chat.getByText('Sign in to an account to see its chats.').waitFor();
  const phone = await phoneSignedIn();

  const link = await showQr(login);
  assert.match(link, new RegExp(`^${origin}/m/qr-sign-in#p=[\\w.-]+&k=[\\w-]+$`), 'an ordinary link to the portal');
  await login.screenshot({ path: join(screenshots, 'desktop-qr-sign-in-code.png') });
  await login.getByText('No camera? Use the link instead').click();
  assert.equal(await login.locator('input[name=qr-link]').inputValue(), link, 'the same link, to paste on the phone');
  assert.match((await status(login)) ?? '', /Waiting for a scan/);

  writeQrVideo(cameraFeed, link);
  await phone.getByTestId('qr-start-camera').click();
  const shownCode = phone.getByTestId('qr-check-code');
  await shownCode.waitFor({ timeout: 20_000 });
  const code = ((await shownCode.textContent()) ?? '').replace(/\s/g, '');
  assert.match(code, /^\d{6}$/);
  assert.equal(await phone.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'qr-deny');
  await phone.screenshot({ path: join(screenshots, 'mobile-qr-camera-scanned.png') });

  await login.locator('input[name=qr-check-code]').waitFor({ timeout: 10_000 });
  assert.match((await status(login)) ?? '', /Scanned/);
  assert.equal(await login.getByTestId('qr-code').count(), 0, 'the QR is gone once scanned');
  await login.locator('input[name=qr-check-code]').fill(code === '000000' ? '111111' : '000000');
  await login.getByRole('button', { name: 'Confirm code' }).click();
  await login.getByTestId('qr-code-problem').waitFor({ timeout: 10_000 });
  assert.match((await login.getByTestId('qr-code-problem').textContent()) ?? '', /2 tries left/);
  await login.screenshot({ path: join(screenshots, 'desktop-qr-sign-in-check-code.png') });
  await login.locator('input[name=qr-check-code]').fill(code);
  await login.getByRole('button', { name: 'Confirm code' }).click();
  await login.getByText('Now tap “Approve” on your phone').waitFor({ timeout: 10_000 });

  const approve = phone.getByTestId('qr-approve');
  await phone.waitForFunction(
    () => !(document.querySelector('[data-testid="qr-approve"]') as HTMLButtonElement | null)?.disabled,
    undefined,
    { timeout: 10_000 },
  );
  await phone.screenshot({ path: join(screenshots, 'mobile-qr-camera-approve.png') });
  const closed = login.waitForEvent('close', { timeout: 20_000 });
  await approve.click();
  await closed;
  await phone.getByText('The computer is signed in.').waitFor({ timeout: 10_000 });

  const portal = app.windows.windows().find((w) => w.target.kind === 'account');
  assert.ok(portal, 'the portal window is open');
  assert.ok(await signedInOnPortal(portal.page), 'the portal window is signed in');
  const [account] = app.settings.get().accounts;
  assert.equal(account?.user.id, annId);
  assert.equal(account?.user.login, 'ann');
  assert.equal(account?.user.displayName, 'Ann Lee');
  assert.ok(await app.vault.get(account.id, 'app-password'), 'the application password is in the vault');
  // What the person sees elsewhere follows the settings: the chat window shows the new account,
  // the tray lists it (with whatever it has unread already).
  await chat.getByTestId('chat-account-header').getByText('Ann Lee').waitFor({ timeout: 10_000 });
  await trayShows([/^Ann Lee — Acme( \(\d+\))?$/]);

  // It receives messages in the background, as any account does.
  const sent = await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: 'Hello from Bob' });
  assert.equal(sent.status, 200);
  await notifications.waitFor((received) => received.some((n) => n.body.includes('Hello from Bob')), 15_000);

  // …and after a restart it is signed in again without a password or a phone.
  await app.quit();
  app = await startApp();
  const first = await app.router.showFirstWindow();
  assert.equal(first.target.kind, 'account');
  assert.ok(await signedInOnPortal(first.page));
  await phone.context().close();
});

test('signing out: the tray drops the account’s count, the chat window says it is signed out', async () => {
  assert.ok(app);
  const [account] = app.settings.get().accounts;
  assert.ok(account);
  const chat = (await app.router.showChat()).page;
  await chat.getByTestId('chat-account-header').getByText('Ann Lee').waitFor({ timeout: 10_000 });
  // Bob's first message is still unread; this is the second.
  assert.equal((await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: 'Still there?' })).status, 200);
  await trayShows(['Ann Lee — Acme (2)']);
  await app.lifecycle.signOut(account.id);
  await trayShows(['Ann Lee — Acme']);
  await chat.getByTestId('signed-out').getByText('Ann Lee is signed out').waitFor({ timeout: 10_000 });
  assert.equal(app.settings.get().accounts.length, 1, 'still listed, to sign in again');
});

test('denied on the phone, or expired: the window says so in plain words and offers to try again', async () => {
  app ??= await startApp();
  const login = (await app.router.showOwnWindow('login')).page;
  await login.getByRole('heading', { name: 'Sign in to Portaldesk' }).waitFor();
  const phone = new TestDesktop(server, 'acme.localhost', { user_os_mark: '', user_account: '' });
  assert.equal((await phone.signIn('ann', PASSWORD)).status, 200);

  const link = await showQr(login);
  const scanned = await phone.rest('portaldesk.qrsignin.scan', { QR: link });
  assert.equal(scanned.status, 200);
  const { attemptId } = scanned.body.result as { attemptId: string };
  assert.equal((await phone.rest('portaldesk.qrsignin.deny', { ID: attemptId })).status, 200);
  await login.getByTestId('qr-try-again').waitFor({ timeout: 10_000 });
  assert.equal(await status(login), 'The sign-in was denied on the phone.');
  await login.screenshot({ path: join(screenshots, 'desktop-qr-sign-in-denied.png') });

  await login.getByTestId('qr-try-again').click();
  const again = await readQr(login);
  assert.notEqual(again, link, 'a new attempt, a new code');
  clock.advance(121_000);
  await login.getByTestId('qr-try-again').waitFor({ timeout: 10_000 });
  assert.equal(await status(login), 'The QR code expired before the sign-in was finished.');
  assert.equal(await login.getByTestId('qr-code').count(), 0);
  assert.equal((await phone.rest('portaldesk.qrsignin.scan', { QR: again })).status, 410);
});

/** Waits until the tray's account entries (the part above its first separator) are `expected`. */
async function trayShows(expected: (string | RegExp)[]): Promise<void> {
  const tray = trayHost.registered().at(-1);
  assert.ok(tray, 'the tray is shown');
  let labels: string[] = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const menu = await trayHost.menu(tray);
    const end = menu.findIndex((m) => m.type === 'separator');
    labels = menu.slice(0, end < 0 ? menu.length : end).map((m) => m.label);
    const matches = (label: string | undefined, want: string | RegExp) =>
      label !== undefined && (typeof want === 'string' ? label === want : want.test(label));
    if (labels.length === expected.length && expected.every((want, i) => matches(labels[i], want))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the tray menu shows ${JSON.stringify(labels)}, not ${expected.map(String).join(', ')}`);
}

async function signedInOnPortal(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const response = await fetch('/rest/portaldesk.session.list.json');
    const body = (await response.json()) as { result?: { current: boolean }[] };
    return response.status === 200 && (body.result ?? []).some((s) => s.current);
  });
}
