import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import { saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

const PHONE = { width: 390, height: 844 };
const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    const sent = await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Are we still meeting?' });
    assert.equal(sent.status, 200);
  },
);

/**
 * What makes a page unusable on a phone: it scrolls sideways, or text is squeezed into a column
 * so narrow that words break (more lines than words: "one letter per line").
 */
async function squeezedPage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const faults: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) faults.push(`page is ${root.scrollWidth}px wide in ${root.clientWidth}`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      if (text.length < 4) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      if (lines > text.split(/\s+/).length) faults.push(`"${text.slice(0, 40)}" is broken over ${lines} lines`);
      const box = range.getBoundingClientRect();
      if (box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1))
        faults.push(`"${text.slice(0, 40)}" is off screen`);
    }
    return faults;
  });
}

test('the portal web interface at phone width: every section usable, the messenger one pane at a time', async () => {
  const page = await acme.signedIn('alice', '/', PHONE);
  await saveScreenshot(page, 'portal-web-phone-chats');
  assert.deepEqual(await squeezedPage(page), []);

  // The chat list has the whole width; a chat opens in its place, with a way back.
  const chats = page.getByRole('navigation', { name: 'Chats' });
  const bobRow = chats.getByRole('button', { name: /Bob Burns/ });
  assert.ok(((await bobRow.boundingBox())?.width ?? 0) > PHONE.width * 0.8, 'the chat list is as wide as the phone');
  await bobRow.tap();
  await page.getByRole('log', { name: 'Messages' }).getByText('Are we still meeting?').waitFor();
  assert.equal(await chats.count(), 0, 'the conversation takes the list’s place');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Yes, at ten');
  await box.press('Enter');
  await page.getByRole('log', { name: 'Messages' }).getByText('Yes, at ten').waitFor();
  await saveScreenshot(page, 'portal-web-phone-conversation');
  assert.deepEqual(await squeezedPage(page), []);
  await page.getByRole('button', { name: 'Back to chats' }).tap();
  await chats.waitFor();

  // The sections are a tap away, through the menu.
  await page.getByRole('button', { name: 'Menu' }).tap();
  const nav = page.getByRole('navigation', { name: 'Portal' });
  await nav.getByRole('link', { name: 'Notifications' }).waitFor();
  // Once it has slid in.
  await page.waitForFunction(() => document.querySelector('[role=dialog]')?.getBoundingClientRect().left === 0);
  await saveScreenshot(page, 'portal-web-phone-menu');
  assert.deepEqual(await smallTouchTargets(page), []);
  await nav.getByRole('link', { name: 'Profile & security' }).tap();
  await page.getByRole('heading', { name: 'Profile & security', level: 1 }).waitFor();
  await nav.waitFor({ state: 'hidden' });
  await saveScreenshot(page, 'portal-web-phone-profile');
  assert.deepEqual(await squeezedPage(page), []);
  assert.deepEqual(await seriousAccessibilityViolations(page), []);

  await page.getByRole('button', { name: 'Menu' }).tap();
  await nav.getByRole('link', { name: 'Notifications' }).tap();
  await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  assert.deepEqual(await squeezedPage(page), []);

  // Signing out is in the menu too.
  await page.getByRole('button', { name: 'Menu' }).tap();
  await nav.getByRole('button', { name: 'Sign out' }).tap();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.context().close();
});

test('the portal web interface on a wide screen keeps its side navigation and split messenger', async () => {
  const page = await acme.signedIn('alice', '/', { width: 1440, height: 900 });
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Messenger' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Menu' }).count(), 0);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  // List and conversation side by side.
  await page.getByRole('log', { name: 'Messages' }).getByText('Are we still meeting?').waitFor();
  await page.getByRole('navigation', { name: 'Chats' }).waitFor();
  await page.context().close();
});
