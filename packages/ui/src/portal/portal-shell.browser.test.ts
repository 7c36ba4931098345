import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addTestNotification,
  createUserWithPassword,
  type Portal,
  startTestServer,
  type TestServer,
  type User,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../testing/accessibility.ts';
import { launchBrowser, openWatchedPage, type PageWatch, saveScreenshot, signInWithForm } from '../testing/browser.ts';

const PASSWORD = 'correct horse battery staple';
let server: TestServer;
let browser: Browser;
let origin: string;
let acme: Portal;
let alice: User;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  alice = await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Alice', lastName: 'Ames', username: 'alice' },
    PASSWORD,
  );
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ada', lastName: 'Admin', username: 'ada', isAdmin: true },
    PASSWORD,
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function signedInAs(login: string, body: (page: Page, watch: PageWatch) => Promise<void>) {
  const watch = await openWatchedPage(browser, origin);
  try {
    await watch.page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    await signInWithForm(watch.page, login, PASSWORD);
    await watch.page.getByRole('navigation', { name: 'Portal' }).waitFor();
    await body(watch.page, watch);
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.failedAssets, []);
  } finally {
    await watch.context.close();
  }
}

const portalNav = (page: Page) => page.getByRole('navigation', { name: 'Portal' });

test('the portal shell: messenger, notifications and profile pages; no administration for a member', async () => {
  await signedInAs('alice', async (page) => {
    const nav = portalNav(page);
    await nav.getByRole('link', { name: 'Messenger' }).waitFor();
    // The profile has loaded (the name shows) and still no administration entry.
    await nav.getByText('Alice Ames').waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0);

    await nav.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/notifications');

    await nav.getByRole('link', { name: 'Profile & security' }).click();
    await page.getByRole('heading', { name: 'Profile & security', level: 1 }).waitFor();

    // Typing the address does not open the section either.
    await page.goto(`${origin}/admin`, { waitUntil: 'networkidle' });
    await page.getByText('This section is for portal administrators.').waitFor();
  });
});

test('an administrator sees the administration entry and its page', async () => {
  await signedInAs('ada', async (page) => {
    const admin = portalNav(page).getByRole('link', { name: 'Administration' });
    await admin.click();
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/users');
    assert.equal(await admin.getAttribute('aria-current'), 'page');
    // At rest: the kit's hover shade under the pointer is not what axe should judge.
    await page.mouse.move(900, 700);
    await saveScreenshot(page, 'portal-web-admin-shell');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });
});

test('notifications: unread ones stand out, marking one read and then all read sticks', async () => {
  const notify = (text: string) => addTestNotification(server, { portalId: acme.id, userId: alice.id, text });
  await notify('Your [b]report[/b] is ready');
  await notify('Carol mentioned you');
  await notify('The portal will restart tonight');
  await signedInAs('alice', async (page) => {
    await portalNav(page).getByRole('link', { name: 'Notifications' }).click();
    const list = page.getByRole('list', { name: 'Notifications' });
    const item = (text: string) => list.getByRole('listitem').filter({ hasText: text });
    await item('The portal will restart tonight').waitFor();
    await page.getByRole('status').filter({ hasText: '3 unread' }).waitFor();
    assert.equal(await list.locator('[data-read="no"]').count(), 3);
    assert.equal(await item('Your report is ready').locator('strong').textContent(), 'report', 'BB-code is rendered');
    await page.mouse.move(0, 700);
    await saveScreenshot(page, 'portal-web-notifications-unread');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await item('Carol mentioned you').getByRole('button', { name: 'Mark as read' }).click();
    await page.getByRole('status').filter({ hasText: '2 unread' }).waitFor();
    assert.equal(await item('Carol mentioned you').getAttribute('data-read'), 'yes');
    assert.equal(await item('Your report is ready').getAttribute('data-read'), 'no', 'only that one');

    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByRole('status').filter({ hasText: 'All read' }).waitFor();
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByRole('status').filter({ hasText: 'All read' }).waitFor();
    assert.equal(await list.locator('[data-read="no"]').count(), 0, 'read on the server, not only on the page');
    await page.mouse.move(0, 700);
    await saveScreenshot(page, 'portal-web-notifications-read');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });
});
