import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ImNotifyList, PORTAL_SESSION_STORAGE_KEY, type QrSignInDesktopClient } from '@portaldesk/protocol';
import {
  createUserWithPassword,
  type Portal,
  QrSignInTestBed,
  startTestServer,
  TEST_DEVICE,
  type TestServer,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../../testing/accessibility.ts';
import {
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
} from '../../testing/browser.ts';

// The phone's half of QR sign-in in the real mobile web app: a desktop (the protocol's reference
// client over HTTP) starts an attempt, and the phone opens the QR's link as a camera app would.
const PASSWORD = 'phone password';
let server: TestServer;
let browser: Browser;
let bed: QrSignInTestBed;
let acme: Portal;
let origin: string;
const desktops: QrSignInDesktopClient[] = [];

before(async () => {
  server = await startTestServer({ config: { trustProxy: true } });
  bed = new QrSignInTestBed(server);
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  for (const username of ['ann', 'bob']) {
    await createUserWithPassword(server, acme.id, { firstName: username, lastName: 'Test', username }, PASSWORD);
  }
  browser = await launchBrowser();
});
after(async () => {
  for (const desktop of desktops) await desktop.close();
  await browser?.close();
  await server?.close();
});

async function desktopAt(ip?: string): Promise<QrSignInDesktopClient> {
  const desktop = await bed.desktop('acme.localhost', ip);
  desktops.push(desktop);
  return desktop;
}

async function withPhone(body: (watch: PageWatch) => Promise<void>) {
  const watch = await openWatchedPage(browser, origin, PHONE_VIEWPORT);
  try {
    await body(watch);
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
  } finally {
    await watch.context.close();
  }
}

async function signIn(page: Page, login: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a phone not yet signed in signs in, then sees the request with Deny focused, and approves after the code', async () => {
  // The desktop and the phone on one network: the page has no reason to warn.
  const desktop = await desktopAt('127.0.0.1');
  await withPhone(async ({ page }) => {
    await page.goto(desktop.code.qrUrl);
    await signIn(page, 'ann');
    const code = page.getByTestId('qr-check-code');
    await code.waitFor({ timeout: 10_000 });
    assert.doesNotMatch(page.url(), /#p=/, 'the pointer left the address bar');
    assert.match(page.url(), /\/m\/qr-sign-in\?attempt=/);
    assert.equal(await page.getByTestId('qr-device-name').textContent(), TEST_DEVICE.deviceName);
    assert.equal(await page.getByTestId('qr-device-ip').textContent(), '127.0.0.1');
    assert.match((await page.getByTestId('qr-request-details').textContent()) ?? '', /Linux/);
    assert.equal(await page.getByTestId('qr-other-network').count(), 0);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'qr-deny',
      'Deny has the focus',
    );
    assert.ok(await page.getByTestId('qr-approve').isDisabled(), 'Approve waits for the code on the computer');
    assert.deepEqual(await smallTouchTargets(page), []);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await saveScreenshot(page, 'mobile-qr-approval-code');

    const shown = ((await code.textContent()) ?? '').replace(/\s/g, '');
    assert.match(shown, /^\d{6}$/);
    assert.equal((await desktop.next(['scanned'])).state, 'scanned');
    assert.deepEqual(await desktop.confirm(shown), { accepted: true, triesLeft: 3 });
    await page.getByTestId('qr-approve').and(page.locator(':enabled')).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('qr-check-code').count(), 0, 'the code is gone once it was typed');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'qr-deny');
    await saveScreenshot(page, 'mobile-qr-approval-confirm');

    await page.getByTestId('qr-approve').click();
    const approved = await desktop.next(['approved']);
    const signedIn = await desktop.redeem(approved);
    assert.ok(signedIn.sessionId);
    await page.getByText('The computer is signed in.').waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'mobile-qr-approval-done');

    // The new sign-in is announced to the user's sessions, with the link that signs it out.
    const notes = await page.evaluate(async (key) => {
      const raw = sessionStorage.getItem(key);
      const sessid = raw ? (JSON.parse(raw) as { sessid: string }).sessid : '';
      const res = await fetch('/rest/im.notify.get.json', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessid }),
      });
      return (await res.json()) as { result: ImNotifyList };
    }, PORTAL_SESSION_STORAGE_KEY);
    const alert = notes.result.notifications.find((n) => n.setting_name === 'portaldesk|newSignIn');
    assert.ok(alert, 'the phone is told of the new sign-in');
    assert.match(String(alert.text), new RegExp(`New sign-in on ${TEST_DEVICE.deviceName}`));
    assert.match(String(alert.text), /\/m\/settings\/sessions\?revoke=/);
  });
});

test('Deny ends the attempt at once; the desktop is told and the phone says nobody was signed in', async () => {
  const desktop = await desktopAt();
  await withPhone(async ({ page }) => {
    await page.goto(`${origin}/m/`);
    await signIn(page, 'bob');
    await page.getByRole('link', { name: 'Scan QR code' }).click();
    // No camera here: the link is pasted, as from the computer's "copy link".
    await page.getByLabel('Or paste the sign-in link').fill(desktop.code.qrUrl);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('qr-check-code').waitFor({ timeout: 10_000 });
    await page.getByTestId('qr-other-network').waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('You denied this sign-in. Nobody was signed in.').waitFor({ timeout: 10_000 });
    assert.equal((await desktop.next(['denied'])).state, 'denied');
    await saveScreenshot(page, 'mobile-qr-approval-denied');
    assert.equal(await page.getByTestId('qr-deny').count(), 0);
  });
});

test('a reload after the scan follows the attempt instead of scanning twice (which would cancel it)', async () => {
  const desktop = await desktopAt();
  await withPhone(async ({ page }) => {
    await page.goto(`${origin}/m/`);
    await signIn(page, 'ann');
    await page.getByRole('link', { name: 'Chats' }).waitFor();
    await page.goto(desktop.code.qrUrl);
    await page.getByTestId('qr-check-code').waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByTestId('qr-check-code').waitFor({ timeout: 10_000 });
    assert.equal((await desktop.state()).state, 'scanned');
  });
});

test('junk, another portal’s code and a used code are explained, not sent on', async () => {
  const desktop = await desktopAt();
  await withPhone(async ({ page }) => {
    await page.goto(`${origin}/m/scan`);
    await signIn(page, 'bob');
    const paste = async (text: string) => {
      await page.getByLabel('Or paste the sign-in link').fill(text);
      await page.getByRole('button', { name: 'Continue' }).click();
      return page.getByTestId('qr-scan-notice').textContent();
    };
    assert.match((await paste('hello')) ?? '', /not a sign-in link/);
    const otherPortal = desktop.code.qrUrl.replace('acme.localhost', 'beta.localhost');
    assert.match((await paste(otherPortal)) ?? '', /This code is for beta\.localhost/);
    assert.deepEqual(await smallTouchTargets(page), []);
    await saveScreenshot(page, 'mobile-qr-scan-tab');

    await desktop.cancel();
    await page.goto(desktop.code.qrUrl);
    await page.getByTestId('qr-error').waitFor({ timeout: 10_000 });
    assert.match((await page.getByTestId('qr-error').textContent()) ?? '', /ended|expired/);
    assert.equal(await page.getByTestId('qr-step').count(), 0, 'no approval is offered');
  });
});
