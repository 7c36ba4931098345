import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../../testing/accessibility.ts';
import { PHONE_390_VIEWPORT, saveScreenshot, WIDE_VIEWPORT } from '../../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
const WIDE = WIDE_VIEWPORT;
const PHONE = PHONE_390_VIEWPORT;
const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
    ['Carol', 'Davis'],
  ],
  async ({ server, users }) => {
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    assert.equal(
      (await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Hello Alice' })).status,
      200,
    );
  },
);

async function signedInWithDialog(login: string, withName: string, path = '/', viewport = WIDE): Promise<Page> {
  const page = await acme.signedIn(login, path, viewport);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(withName) })
    .click();
  return page;
}

/** The text of Alice's newest message to Bob, as the server keeps it. */
async function lastSentToBob(): Promise<string | undefined> {
  const desktop = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await desktop.signIn('alice', MESSENGER_PASSWORD)).status, 200);
  const history = await desktop.rest('im.dialog.messages.get', { DIALOG_ID: acme.users.bob!.id, LIMIT: 1 });
  return (history.body.result as { messages: { text: string }[] }).messages[0]?.text;
}

const messageItem = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text });

test('a colleague picked from "@" is a chip in the box, removed whole by Backspace, and sent as [USER=id]', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const box = alice.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('Ask @car');
  await alice.getByRole('option', { name: /Carol Davis/ }).waitFor();
  await box.press('Enter');
  const chip = box.locator('[data-mention-chip]');
  assert.equal(await chip.textContent(), 'Carol Davis', 'the chip shows the name, no code');
  assert.equal(await chip.getAttribute('data-mention-chip'), String(acme.users.carol!.id));
  assert.equal((await box.innerText()).includes('[USER'), false);
  // Backspace takes the space after the chip, then the whole chip at once.
  await box.press('Backspace');
  await box.press('Backspace');
  assert.equal(await chip.count(), 0);
  assert.equal(await box.innerText(), 'Ask ');
  await box.pressSequentially('@car');
  await alice.getByRole('option', { name: /Carol Davis/ }).click();
  // Picking is one undo step: Ctrl+Z takes the chip back to what was typed, redo brings it again.
  await box.press('Control+z');
  assert.equal(await chip.count(), 0);
  assert.equal(await box.innerText(), 'Ask @car');
  await box.press('Control+Shift+z');
  assert.equal(await chip.count(), 1);
  await box.pressSequentially('about it');
  await saveScreenshot(alice, 'composer-chip-desktop');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await box.press('Enter');
  await messageItem(alice, 'about it').locator(`[data-mention="${acme.users.carol!.id}"]`).waitFor(LIVE);
  assert.equal(await lastSentToBob(), `Ask [USER=${acme.users.carol!.id}]Carol Davis[/USER] about it`);
  assert.equal((await box.innerText()).trim(), '', 'the box is empty after sending');
  await alice.context().close();
});

test('editing a message with a mention shows the chip, not its code, and keeps the id', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const box = alice.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('Lunch with @bob');
  await box.press('Enter');
  await box.pressSequentially('?');
  await box.press('Enter');
  await messageItem(alice, 'Lunch with').waitFor(LIVE);
  await box.press('ArrowUp');
  const editBox = alice.getByRole('textbox', { name: 'Edited message' });
  await editBox.waitFor();
  assert.equal(await editBox.locator('[data-mention-chip]').textContent(), 'Bob Burns');
  assert.equal((await editBox.innerText()).includes('[USER'), false, 'no raw code in the box');
  await editBox.press('End');
  await editBox.pressSequentially(' at noon');
  await saveScreenshot(alice, 'composer-edit-chip-desktop');
  await editBox.press('Enter');
  await messageItem(alice, 'at noon').getByText('edited').waitFor(LIVE);
  assert.equal(await lastSentToBob(), `Lunch with [USER=${acme.users.bob!.id}]Bob Burns[/USER] ? at noon`);
  await alice.context().close();
});

test('Ctrl+B, the toolbar and Markdown typed by hand all send Bitrix24 BB-code, shown formatted', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const box = alice.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('plain ');
  await box.press('Control+b');
  await box.pressSequentially('strong');
  await box.press('Control+b');
  await box.pressSequentially(' then ');
  const toolbar = alice.getByRole('toolbar', { name: 'Formatting' });
  await toolbar.getByRole('button', { name: 'Italic' }).click();
  assert.equal(await toolbar.getByRole('button', { name: 'Italic' }).getAttribute('aria-pressed'), 'true');
  await box.pressSequentially('slanted');
  await toolbar.getByRole('button', { name: 'Italic' }).click();
  await box.pressSequentially(' and ~~old~~ news');
  assert.equal((await box.locator('strong').textContent())?.trim(), 'strong', 'bold shows bold while writing');
  await saveScreenshot(alice, 'composer-formatting-desktop');
  await box.press('Enter');
  const sent = messageItem(alice, 'news');
  await sent.waitFor(LIVE);
  assert.equal(await lastSentToBob(), 'plain [b]strong[/b] then [i]slanted[/i] and [s]old[/s] news');
  assert.equal(await sent.locator('strong').textContent(), 'strong');
  assert.equal(await sent.locator('em').textContent(), 'slanted');

  // Pasted rich text comes in as plain text.
  await box.evaluate((element) => {
    const data = new DataTransfer();
    data.setData('text/html', '<b style="color:red">Loud</b> <a href="https://x.example/">words</a>');
    data.setData('text/plain', 'Loud words');
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.equal(await box.innerText(), 'Loud words');
  assert.equal(await box.locator('strong, b, a, [style]').count(), 0, 'no formatting came with it');
  await box.press('Control+a');
  await box.press('Backspace');

  // A link from the toolbar, on the selected word.
  await box.pressSequentially('see the plan');
  await box.press('Shift+ArrowLeft');
  await box.press('Shift+ArrowLeft');
  await box.press('Shift+ArrowLeft');
  await box.press('Shift+ArrowLeft');
  await toolbar.getByRole('button', { name: 'Link' }).click();
  await alice.getByLabel('Link address').fill('https://example.com/plan');
  await alice.getByRole('button', { name: 'Add link' }).click();
  await box.press('End');
  await box.press('Enter');
  await messageItem(alice, 'see the plan').waitFor(LIVE);
  assert.equal(await lastSentToBob(), 'see the [url=https://example.com/plan]plan[/url]');
  await alice.context().close();
});

test('on the phone the formatting opens from a button, with finger-sized buttons', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns', '/m/', PHONE);
  assert.equal(await alice.getByRole('toolbar', { name: 'Formatting' }).count(), 0, 'the phone keeps the room');
  await alice.getByRole('button', { name: 'Formatting' }).tap();
  const toolbar = alice.getByRole('toolbar', { name: 'Formatting' });
  await toolbar.waitFor();
  const box = alice.getByRole('textbox', { name: 'Message' });
  await box.tap();
  await toolbar.getByRole('button', { name: 'Bold' }).tap();
  await box.pressSequentially('loud');
  assert.deepEqual(await smallTouchTargets(alice), []);
  await saveScreenshot(alice, 'composer-formatting-phone');
  await alice.getByRole('button', { name: 'Send' }).tap();
  await messageItem(alice, 'loud').waitFor(LIVE);
  assert.equal(await lastSentToBob(), '[b]loud[/b]');
  await alice.context().close();
});
