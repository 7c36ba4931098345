import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ActiveSessionInfo } from '@portaldesk/protocol';
import {
  createUserWithPassword,
  type Portal,
  startTestServer,
  TestDesktop,
  type TestServer,
  totpCode,
} from '@portaldesk/server/testing';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../../testing/accessibility.ts';
import {
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
  signInWithForm,
} from '../../testing/browser.ts';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 15_000 };
let server: TestServer;
let browser: Browser;
let origin: string;
let acme: Portal;
const opened: PageWatch[] = [];

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  browser = await launchBrowser();
});
after(async () => {
  for (const watch of opened) await watch.context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function newUser(username: string) {
  return createUserWithPassword(server, acme.id, { firstName: username, lastName: 'Tester', username }, PASSWORD);
}

/** A browser of its own (cookies, storage) signed in to the portal web interface. */
async function signedInBrowser(login: string, password = PASSWORD, viewport?: typeof PHONE_VIEWPORT) {
  const watch = await openWatchedPage(browser, origin, viewport);
  opened.push(watch);
  const sockets: WebSocket[] = [];
  watch.page.on('websocket', (socket) => sockets.push(socket));
  await watch.page.goto(`${origin}${viewport ? '/m/' : '/'}`, { waitUntil: 'networkidle' });
  await signInWithForm(watch.page, login, password);
  await watch.page.getByRole('navigation', { name: viewport ? 'Sections' : 'Portal' }).waitFor(WAIT);
  return { ...watch, sockets };
}

async function openProfile(page: Page) {
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Profile & security' }).click();
  await page.getByRole('heading', { name: 'Profile & security', level: 1 }).waitFor(WAIT);
}

const sessionRows = (page: Page) => page.getByRole('list', { name: 'Active sessions' }).getByRole('listitem');

/** The page is back at the sign-in form: its session has ended. */
const signInShown = (page: Page) => page.getByRole('heading', { name: 'Sign in' }).waitFor(WAIT);

/** Screenshot of the whole page (it scrolls inside the shell, so the window is made tall enough), then axe. */
async function lookedAt(page: Page, name: string) {
  await page.mouse.move(0, 0);
  const viewport = page.viewportSize();
  const height = await page.evaluate(() =>
    Math.max(...[...document.querySelectorAll('main, main *')].map((element) => element.scrollHeight)),
  );
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await saveScreenshot(page, name);
  if (viewport) await page.setViewportSize(viewport);
  assert.deepEqual(await seriousAccessibilityViolations(page), []);
}

test('changing the password signs out the other browser, this one stays', async () => {
  await newUser('pat');
  const here = await signedInBrowser('pat');
  const elsewhere = await signedInBrowser('pat');
  await openProfile(here.page);
  await sessionRows(here.page).nth(1).waitFor(WAIT);
  await lookedAt(here.page, 'portal-web-profile');

  const form = here.page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel('New password', { exact: true }).fill('pat new password');
  await form.getByLabel('Repeat the new password').fill('pat new password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor(WAIT);

  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByRole('status').filter({ hasText: 'Password changed. 1 other session was signed out.' }).waitFor(WAIT);
  assert.equal(await form.getByLabel('Current password').inputValue(), '', 'the form forgets the passwords');
  await sessionRows(here.page)
    .nth(1)
    .waitFor({ state: 'detached', ...WAIT });

  // The other browser finds out on its next action; this one carries on.
  await elsewhere.page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Notifications' }).click();
  await signInShown(elsewhere.page);
  await here.page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Notifications' }).click();
  await here.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor(WAIT);
  assert.equal(await here.page.getByRole('heading', { name: 'Sign in' }).count(), 0);

  await signInWithForm(elsewhere.page, 'pat', 'pat new password');
  await elsewhere.page.getByRole('navigation', { name: 'Portal' }).waitFor(WAIT);
  assert.deepEqual(here.consoleErrors, []);
  assert.deepEqual(here.foreignRequests, []);
});

test('turning on two-step verification: QR and key, confirm with a code, recovery codes once; then sign-in asks for a code', async () => {
  await newUser('quinn');
  const { page, consoleErrors, foreignRequests } = await signedInBrowser('quinn');
  await openProfile(page);
  const section = page.getByRole('region', { name: 'Two-step verification' });
  await section.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await section.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor(WAIT);
  const secret = ((await section.locator('[data-otp-secret]').textContent()) ?? '').replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await lookedAt(page, 'portal-web-profile-2fa-setup');

  await section.getByLabel('Code from the app').fill(totpCode(secret, new Date()));
  await section.getByRole('button', { name: 'Confirm' }).click();
  const codes = section.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await codes.first().waitFor(WAIT);
  assert.equal(await codes.count(), 10);
  await lookedAt(page, 'portal-web-profile-2fa-recovery-codes');
  await section.getByRole('button', { name: 'I have saved them' }).click();
  await section.getByText('10 unused recovery codes left.').waitFor(WAIT);
  assert.equal(await codes.count(), 0, 'the codes are not shown again');
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);

  const again = await openWatchedPage(browser, origin);
  opened.push(again);
  await again.page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await signInWithForm(again.page, 'quinn', PASSWORD);
  await again.page.getByRole('heading', { name: 'Two-step verification' }).waitFor(WAIT);
  // The code of the next 30-second step: the one used to confirm cannot be used twice.
  await again.page.getByLabel('Code').fill(totpCode(secret, new Date(Date.now() + 30_000)));
  await again.page.getByRole('button', { name: 'Confirm' }).click();
  await again.page.getByRole('navigation', { name: 'Portal' }).waitFor(WAIT);
});

test('revoking a session on the profile page: the other browser is signed out at its next action, its socket closes', async () => {
  await newUser('robin');
  const other = await signedInBrowser('robin');
  const socket = await openRealtimeSocket(other);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const here = await signedInBrowser('robin');
  await openProfile(here.page);
  const otherRow = sessionRows(here.page).filter({ has: here.page.getByRole('button', { name: /^Revoke/ }) });
  await otherRow.waitFor(WAIT);
  assert.equal(await sessionRows(here.page).count(), 2);
  assert.ok(await sessionRows(here.page).filter({ hasText: 'This device' }).isVisible());
  await otherRow.getByRole('button', { name: /^Revoke/ }).click();
  await here.page.getByRole('status').filter({ hasText: 'That session is signed out.' }).waitFor(WAIT);
  assert.equal(await sessionRows(here.page).count(), 1);

  await withTimeout(closed, 10_000, 'the revoked browser’s realtime socket did not close');
  await other.page
    .getByRole('navigation', { name: 'Portal' })
    .getByRole('link', { name: 'Profile & security' })
    .click();
  await signInShown(other.page);
  assert.deepEqual(here.consoleErrors, []);
});

test('mobile Settings → Sessions: ?revoke= highlights that session and ends it only on a tap', async () => {
  await newUser('sam');
  const laptop = new TestDesktop(server, 'acme.localhost');
  assert.equal((await laptop.signIn('sam', PASSWORD)).status, 200);
  const laptopId = ((await laptop.rest('portaldesk.session.list')).body.result as ActiveSessionInfo[]).find(
    (s) => s.current,
  )?.id;
  assert.ok(laptopId);

  const phone = await signedInBrowser('sam', PASSWORD, PHONE_VIEWPORT);
  await phone.page.goto(`${origin}/m/settings/sessions?revoke=${laptopId}`, { waitUntil: 'networkidle' });
  await phone.page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor(WAIT);
  const highlighted = phone.page.locator(`[data-session-id="${laptopId}"]`);
  await highlighted.waitFor(WAIT);
  assert.equal(await highlighted.getAttribute('aria-current'), 'true');
  assert.ok(await highlighted.getByText('To review').isVisible());
  assert.equal((await laptop.rest('portaldesk.session.list')).status, 200, 'opening the page revoked nothing');
  await saveScreenshot(phone.page, 'mobile-settings-sessions-review');
  assert.deepEqual(await seriousAccessibilityViolations(phone.page), []);
  assert.deepEqual(await smallTouchTargets(phone.page), []);
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

  await highlighted.getByRole('button', { name: /^Revoke/ }).tap();
  await phone.page.getByRole('status').filter({ hasText: 'That session is signed out.' }).waitFor(WAIT);
  await highlighted.waitFor({ state: 'detached', ...WAIT });
  await phone.page.getByText('The session you were sent to review has already ended.').waitFor(WAIT);
  assert.equal((await laptop.rest('portaldesk.session.list')).status, 401, 'the laptop is signed out');
  assert.deepEqual(phone.consoleErrors, []);
  assert.deepEqual(phone.foreignRequests, []);
});

/** The page's realtime WebSocket, once it is open (the messenger opens it after sign-in). */
async function openRealtimeSocket(watch: { page: Page; sockets: WebSocket[] }): Promise<WebSocket> {
  const socket = watch.sockets[0] ?? (await watch.page.waitForEvent('websocket', { timeout: 15_000 }));
  assert.match(socket.url(), /CHANNEL_ID=/);
  assert.equal(socket.isClosed(), false);
  return socket;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
