import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OtpEnrollment } from '@portaldesk/protocol';
import { manualClock } from '@portaldesk/server';
import {
  createUserWithPassword,
  type Portal,
  startTestServer,
  TestDesktop,
  type TestServer,
  totpCode,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import {
  DESKTOP_VIEWPORT,
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
} from '../testing/browser.ts';

const PASSWORD = 'correct horse battery staple';
const clock = manualClock();
let server: TestServer;
let browser: Browser;
let acme: Portal;
let origin: string;
let doraId: number;

before(async () => {
  server = await startTestServer({
    clock,
    // Small enough that a test can reach the account limit in a few tries.
    loginLimits: {
      address: { failures: 50, windowSeconds: 900 },
      account: { failures: 3, windowSeconds: 900 },
      device: { failures: 50, windowSeconds: 900 },
    },
  });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  for (const username of ['ann', 'tess', 'dora']) {
    const user = await createUserWithPassword(
      server,
      acme.id,
      { firstName: username, lastName: 'Test', username },
      PASSWORD,
    );
    if (username === 'dora') doraId = user.id;
  }
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(path: string, viewport: typeof DESKTOP_VIEWPORT, body: (watch: PageWatch) => Promise<void>) {
  const watch = await openWatchedPage(browser, origin, viewport);
  try {
    await watch.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    await body(watch);
  } finally {
    await watch.context.close();
  }
}

async function submitCredentials(page: Page, login: string, password: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const alertText = (page: Page) => page.getByRole('alert').first().textContent({ timeout: 10_000 });

test('a wrong password and an unknown login get the same message', async () => {
  await withPage('/', DESKTOP_VIEWPORT, async ({ page }) => {
    await submitCredentials(page, 'ann', 'wrong password');
    const wrongPassword = await alertText(page);
    await submitCredentials(page, 'nobody-here', 'wrong password');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const unknown = await alertText(page);
    assert.equal(wrongPassword?.trim(), 'Incorrect login or password.');
    assert.equal(unknown, wrongPassword);
  });
});

test('a deactivated account is told so', async () => {
  await server.context.users.setActive(acme.id, doraId, false);
  await withPage('/', DESKTOP_VIEWPORT, async ({ page }) => {
    await submitCredentials(page, 'dora', PASSWORD);
    assert.match((await alertText(page)) ?? '', /deactivated/);
  });
});

test('too many attempts are told with the time to wait', async () => {
  await withPage('/m/', PHONE_VIEWPORT, async ({ page }) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      await submitCredentials(page, 'tess', `guess ${attempt}`);
      await page.getByRole('alert').first().waitFor();
    }
    assert.match((await alertText(page)) ?? '', /^\s*Too many attempts\. Try again in \d+ (s|minutes?)\./);
  });
});

test('a portal that cannot be reached is a network error, not a wrong password', async () => {
  await withPage('/', DESKTOP_VIEWPORT, async ({ page }) => {
    await page.route('**/desktop_app/login/', (route) => route.abort('connectionrefused'));
    await submitCredentials(page, 'ann', PASSWORD);
    assert.match((await alertText(page)) ?? '', /cannot be reached/);
  });
});

test('two-step sign-in: the code is asked after the password, a wrong code is refused', async () => {
  const password = 'otp user password';
  await createUserWithPassword(server, acme.id, { firstName: 'Otto', lastName: 'P', username: 'otto' }, password);
  const desktop = new TestDesktop(server, 'acme.localhost');
  assert.equal((await desktop.signIn('otto', password)).status, 200);
  const enrollment = (await desktop.rest('portaldesk.otp.enroll')).body.result as OtpEnrollment;
  const confirmed = await desktop.rest('portaldesk.otp.confirm', { CODE: totpCode(enrollment.secret, clock.now()) });
  assert.equal(confirmed.status, 200);
  clock.advance(5 * 60_000);

  await withPage('/', DESKTOP_VIEWPORT, async (watch) => {
    const { page } = watch;
    await submitCredentials(page, 'otto', password);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await saveScreenshot(page, 'portal-web-sign-in-code');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    assert.match((await alertText(page)) ?? '', /code is not correct/);
    await page.getByLabel('Code').fill(totpCode(enrollment.secret, clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.deepEqual(watch.consoleErrors, []);
  });
});

test('signed in on the portal web: the messenger shows, sessid never appears in a URL, reload keeps the session', async () => {
  await withPage('/', DESKTOP_VIEWPORT, async (watch) => {
    const { page } = watch;
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await submitCredentials(page, 'ann', PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('navigation', { name: 'Chats' }).waitFor();
    const stored = JSON.parse((await page.evaluate(() => sessionStorage.getItem('portaldesk.session'))) ?? '{}');
    assert.match(stored.sessid, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      urls.filter((url) => url.includes(stored.sessid)),
      [],
    );
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'portal-web-messenger');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('portaldesk.session')), null);
    // The session ended on the portal too: the old cookie and sessid open nothing.
    const status = await page.evaluate(async (sessid) => {
      const res = await fetch('/rest/portaldesk.session.list.json', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessid }),
      });
      return res.status;
    }, stored.sessid);
    assert.equal(status, 401);
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.failedAssets, []);
  });
});

test('signed in on the phone: chats, notifications and the QR entry point, all reachable by touch', async () => {
  await withPage('/m/', PHONE_VIEWPORT, async (watch) => {
    const { page } = watch;
    await submitCredentials(page, 'ann', PASSWORD);
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'mobile-chats');
    assert.deepEqual(await smallTouchTargets(page), []);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await sections.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'mobile-notifications');
    assert.equal(new URL(page.url()).pathname, '/m/notifications');

    await sections.getByRole('link', { name: 'Scan QR code' }).click();
    await page.getByRole('heading', { name: 'Sign in on a computer' }).waitFor();
    await saveScreenshot(page, 'mobile-scan-qr');
    assert.deepEqual(await smallTouchTargets(page), []);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.failedAssets, []);
  });
});
