import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../../testing/accessibility.ts';
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
    const text = `[USER=${users.carol!.id}]Carol Davis[/USER], the [b]budget[/b] is approved`;
    assert.equal((await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: text })).status, 200);
    const alice = new TestDesktop(server, 'acme.localhost');
    assert.equal((await alice.signIn('alice', MESSENGER_PASSWORD)).status, 200);
    const chat = await alice.rest('im.chat.add', { USERS: [users.carol!.id], TITLE: 'Finance team' });
    assert.equal(chat.status, 200);
    await alice.rest('im.message.add', { DIALOG_ID: `chat${chat.body.result}`, MESSAGE: 'Welcome to finance' });
  },
);

async function openChat(page: Page, name: string) {
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
}

const messageItem = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text });

test('Copy puts the message on the clipboard as plain text, mentions as names', async () => {
  const alice = await acme.signedIn('alice', '/', WIDE);
  await alice.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: acme.origin });
  await openChat(alice, 'Bob Burns');
  const message = messageItem(alice, 'is approved');
  await message.hover();
  await message.getByRole('button', { name: 'Copy text' }).click();
  await alice.waitForFunction(async () => (await navigator.clipboard.readText()).includes('approved'));
  assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), 'Carol Davis, the budget is approved');
  await alice.context().close();
});

test('Forward: pick a chat, the message arrives there live as forwarded from its author', async () => {
  const carol = await acme.signedIn('carol', '/', WIDE);
  await openChat(carol, 'Finance team');
  await messageItem(carol, 'Welcome to finance').waitFor();

  const alice = await acme.signedIn('alice', '/', WIDE);
  await openChat(alice, 'Bob Burns');
  const message = messageItem(alice, 'is approved');
  await message.hover();
  await message.getByRole('button', { name: 'Forward message' }).click();
  const picker = alice.getByRole('dialog', { name: 'Forward message' });
  await picker.waitFor();
  await picker.getByRole('combobox', { name: 'Find a chat' }).fill('fin');
  await picker.getByRole('option', { name: /Finance team/ }).waitFor();
  assert.equal(await picker.getByRole('option', { name: /Bob Burns/ }).count(), 0, 'typing narrows the chats');
  await saveScreenshot(alice, 'forward-picker-desktop');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await picker.getByRole('combobox', { name: 'Find a chat' }).press('Enter');
  await picker.waitFor({ state: 'detached' });

  // Alice is taken to the chat, where the copy is hers and names Bob.
  await alice.getByRole('heading', { name: 'Finance team' }).waitFor();
  const copy = messageItem(alice, 'is approved');
  await copy.waitFor(LIVE);
  assert.equal(await copy.getByTestId('forwarded-from').innerText(), 'Forwarded from Bob Burns');

  // Carol, in that chat all along, sees it arrive.
  const arrived = messageItem(carol, 'is approved');
  await arrived.waitFor(LIVE);
  assert.equal(await arrived.getByTestId('forwarded-from').innerText(), 'Forwarded from Bob Burns');
  assert.equal(await arrived.getByTestId('message-author').innerText(), 'Alice Ames');
  assert.equal(await arrived.locator('strong').innerText(), 'budget', 'formatting kept');
  await saveScreenshot(carol, 'forward-arrived-desktop');
  await carol.context().close();
  await alice.context().close();
});

test('on the phone, Forward is among a message’s actions and the picker fits the screen', async () => {
  const alice = await acme.signedIn('alice', '/m/', PHONE);
  await openChat(alice, 'Bob Burns');
  await messageItem(alice, 'is approved').tap();
  await alice.getByRole('button', { name: 'Forward message' }).tap();
  const picker = alice.getByRole('dialog', { name: 'Forward message' });
  await picker.waitFor();
  const box = await picker.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the picker is within the screen');
  await saveScreenshot(alice, 'forward-picker-phone');
  await picker.getByRole('option', { name: /Finance team/ }).tap();
  await alice.getByRole('heading', { name: 'Finance team' }).waitFor();
  // The desktop test before forwarded it there once already: this is the second copy.
  await messageItem(alice, 'is approved').getByTestId('forwarded-from').nth(1).waitFor(LIVE);
  await alice.context().close();
});

test('in the desktop chat window, Forward… in the message menu sends it the same way', async () => {
  const carol = await acme.signedIn('carol', '/', WIDE);
  await openChat(carol, 'Finance team');
  const window = await acme.chatWindow('alice', WIDE);
  await openChat(window, 'Bob Burns');
  await messageItem(window, 'is approved').locator('time').click({ button: 'right' });
  await window.getByRole('menu').getByRole('menuitem', { name: 'Forward…' }).click();
  const picker = window.getByRole('dialog', { name: 'Forward message' });
  await picker.getByRole('option', { name: /Finance team/ }).click();
  await window.getByRole('heading', { name: 'Finance team' }).waitFor();
  // Two copies came before this one (the tests above).
  await messageItem(carol, 'is approved').getByTestId('forwarded-from').nth(2).waitFor(LIVE);
  await carol.context().close();
  await window.context().close();
});
