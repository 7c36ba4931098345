import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

// Pin and mute from a chat's own menu ("…", or a right click), as the reader sees the list.
let teamId = 0;
const fixture = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Byrne'],
    ['Carol', 'Cole'],
  ],
  async ({ server, users }) => {
    const as = async (login: string) => {
      const desktop = new TestDesktop(server, 'acme.localhost');
      assert.equal((await desktop.signIn(login, MESSENGER_PASSWORD)).status, 200);
      return desktop;
    };
    const bob = await as('bob');
    const carol = await as('carol');
    await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Oldest: from Bob' });
    teamId = (await carol.rest('im.chat.add', { USERS: [users.alice!.id], TITLE: 'Team' })).body.result as number;
    await carol.rest('im.message.add', { DIALOG_ID: `chat${teamId}`, MESSAGE: 'Team news' });
    await carol.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Newest: from Carol' });
  },
);

const rows = (page: Page) => page.getByRole('navigation', { name: 'Chats' }).getByRole('listitem');
const titles = async (page: Page) =>
  (await rows(page).locator('span.truncate.font-semibold').allTextContents()).map((t) => t.trim());

test('pinning puts a chat on top and muting marks a group chat, both kept by the portal', async () => {
  const page = await fixture.signedIn('alice');
  await rows(page).filter({ hasText: 'Bob Byrne' }).waitFor();
  assert.deepEqual(await titles(page), ['Carol Cole', 'Team', 'Bob Byrne']);

  const bobRow = rows(page).filter({ hasText: 'Bob Byrne' });
  await bobRow.hover();
  await bobRow.getByRole('button', { name: 'Chat actions' }).click();
  await page.getByRole('menuitem', { name: 'Pin to top' }).click();
  await bobRow.getByRole('img', { name: 'Pinned' }).waitFor();
  assert.deepEqual(await titles(page), ['Bob Byrne', 'Carol Cole', 'Team']);
  // One-to-one dialogs have nothing to mute.
  await bobRow.getByRole('button', { name: 'Chat actions' }).click();
  assert.equal(await page.getByRole('menuitem', { name: 'Mute' }).count(), 0);
  await page.keyboard.press('Escape');

  // A right click on the chat opens the same menu, not the browser's.
  const teamRow = rows(page).filter({ hasText: 'Team' });
  await teamRow.getByRole('button').first().click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Mute' }).click();
  await teamRow.getByRole('img', { name: 'Muted' }).waitFor();
  await page.mouse.move(900, 700);
  await saveScreenshot(page, 'portal-web-chat-pinned-muted');

  await page.reload({ waitUntil: 'networkidle' });
  await bobRow.getByRole('img', { name: 'Pinned' }).waitFor();
  await teamRow.getByRole('img', { name: 'Muted' }).waitFor();
  assert.deepEqual(await titles(page), ['Bob Byrne', 'Carol Cole', 'Team'], 'kept by the portal');
  // Still counted while muted.
  await teamRow.getByLabel('1 unread').waitFor();

  await teamRow.getByRole('button').first().click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Unmute' }).click();
  await teamRow.getByRole('img', { name: 'Muted' }).waitFor({ state: 'detached' });
});
