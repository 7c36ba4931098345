import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addTestNotification } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { PHONE_VIEWPORT, saveScreenshot } from '../../testing/browser.ts';
import { messengerPortal } from '../../testing/messenger-portal.ts';

// Portal notifications (`im.notify.system.add` and the like) count on "Notifications" the moment
// they arrive, on the portal web interface and on the phone, and the count goes as they are read.
const fixture = messengerPortal([
  ['Alice', 'Ames'],
  ['Bob', 'Byrne'],
]);

function notify(userId: number, text: string) {
  return addTestNotification(fixture.server, { portalId: fixture.portal.id, userId, text });
}

/** The page's realtime socket opens after its first screen; what is published before is not its to see. */
async function realtimeConnected(page: Page): Promise<void> {
  await page.waitForTimeout(1500);
}

const portalNotifications = (page: Page) =>
  page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: /Notifications/ });

test('portal web: a notification badges "Notifications" live, and reading it clears the badge', async () => {
  const alice = fixture.users.alice!;
  await notify(alice.id, 'Waiting before sign-in');
  const page = await fixture.signedIn('alice');
  const link = portalNotifications(page);
  // Counted from `im.counters.get` at start.
  await link.filter({ hasText: '1' }).waitFor();
  await realtimeConnected(page);
  await notify(alice.id, 'Your [b]report[/b] is ready');
  // Counted from the realtime `notifyAdd`, without a reload.
  await link.filter({ hasText: '2' }).waitFor();
  await page.mouse.move(900, 700);
  await saveScreenshot(page, 'portal-web-notifications-badge');

  await link.click();
  const list = page.getByRole('list', { name: 'Notifications' });
  await list.getByText('Your report is ready').waitFor();
  // A notification arriving while the list is open appears in it.
  await notify(alice.id, 'Arrived while looking');
  await list.getByText('Arrived while looking').waitFor();
  await link.filter({ hasText: '3' }).waitFor();
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await page.getByRole('status').filter({ hasText: 'All read' }).waitFor();
  await page.waitForFunction(
    () => !/\d/.test(document.querySelector('nav[aria-label="Portal"] a[href="/notifications"]')?.textContent ?? ''),
  );
  assert.equal((await link.textContent())?.trim(), 'Notifications', 'no count once read');
});

test('phone /m/: the Notifications tab counts live and clears when they are read', async () => {
  const bob = fixture.users.bob!;
  const page = await fixture.signedIn('bob', '/m/', PHONE_VIEWPORT);
  const badge = page.getByTestId('tab-count-Notifications');
  assert.equal(await badge.count(), 0);
  await realtimeConnected(page);
  await notify(bob.id, 'The portal will restart tonight');
  await badge.filter({ hasText: '1' }).waitFor();
  assert.equal(await badge.getAttribute('aria-label'), '1 unread');
  await saveScreenshot(page, 'mobile-notifications-badge');
  await page.getByRole('link', { name: /Notifications/ }).click();
  const item = page.getByRole('listitem').filter({ hasText: 'The portal will restart tonight' });
  await item.getByRole('button', { name: 'Mark as read' }).click();
  await badge.waitFor({ state: 'detached' });
});
