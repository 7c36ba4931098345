import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../../testing/accessibility.ts';
import { PHONE_VIEWPORT, saveScreenshot } from '../../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    const sent = await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'The release is out!' });
    assert.equal(sent.status, 200);
  },
);

const messageItem = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text });
const chip = (page: Page, text: string, reaction: string) =>
  messageItem(page, text).getByTestId('reactions').locator(`[data-reaction="${reaction}"]`);

async function openDialog(login: string, withName: string, path = '/', viewport?: typeof PHONE_VIEWPORT) {
  const page = await acme.signedIn(login, path, viewport);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(withName) })
    .click();
  return page;
}

test('a reaction picked on a message shows under it on both sides live, with who put it; a click on it adds or takes back one own', async () => {
  const alice = await openDialog('alice', 'Bob Burns');
  const bob = await openDialog('bob', 'Alice Ames');
  await messageItem(alice, 'The release is out!').waitFor(LIVE);
  await messageItem(bob, 'The release is out!').waitFor(LIVE);

  await messageItem(alice, 'The release is out!').hover();
  await alice.getByRole('button', { name: 'Add reaction' }).click();
  const picker = alice.getByRole('group', { name: 'Reactions to choose from' });
  await picker.waitFor();
  await saveScreenshot(alice, 'portal-web-reaction-picker');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await picker.getByRole('button', { name: 'Heart' }).click();

  // Alice's own shows as hers at once; Bob sees it come, with her name on it.
  const hers = chip(alice, 'The release is out!', 'redHeart');
  await hers.waitFor(LIVE);
  assert.equal(await hers.getAttribute('aria-pressed'), 'true');
  const seenByBob = chip(bob, 'The release is out!', 'redHeart');
  await seenByBob.waitFor(LIVE);
  assert.equal((await seenByBob.textContent())?.replace(/\s+/g, ''), '❤️1');
  assert.equal(await seenByBob.getAttribute('aria-pressed'), 'false');
  assert.equal(await seenByBob.getAttribute('title'), 'Heart: Alice Ames');

  // Bob joins in with a click on the chip; Alice's count follows.
  await seenByBob.click();
  await alice.waitForFunction(
    () => document.querySelector('[data-reaction="redHeart"]')?.textContent?.replace(/\s+/g, '') === '❤️2',
    undefined,
    LIVE,
  );
  assert.equal(await hers.getAttribute('title'), 'Heart: you, Bob Burns');
  await saveScreenshot(bob, 'portal-web-reactions-live');

  // Alice takes hers back: one left, Bob's, on both sides.
  await hers.click();
  for (const page of [alice, bob]) {
    await page.waitForFunction(
      () => document.querySelector('[data-reaction="redHeart"]')?.textContent?.replace(/\s+/g, '') === '❤️1',
      undefined,
      LIVE,
    );
  }
  assert.equal(await chip(bob, 'The release is out!', 'redHeart').getAttribute('title'), 'Heart: you');

  // Reloaded, the page shows what is stored.
  await alice.reload({ waitUntil: 'networkidle' });
  await alice
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  await chip(alice, 'The release is out!', 'redHeart').waitFor(LIVE);
  assert.equal(await chip(alice, 'The release is out!', 'redHeart').getAttribute('title'), 'Heart: Bob Burns');
  await alice.context().close();
  await bob.context().close();
});

test('on a phone the message actions offer React, and the chips fit under the bubble', async () => {
  const page = await openDialog('alice', 'Bob Burns', '/m/', PHONE_VIEWPORT);
  await messageItem(page, 'The release is out!').click();
  await page.getByRole('button', { name: 'Add reaction' }).click();
  await page.getByRole('group', { name: 'Reactions to choose from' }).getByRole('button', { name: 'Fire!' }).click();
  await chip(page, 'The release is out!', 'fire').waitFor(LIVE);
  await saveScreenshot(page, 'mobile-reactions');
  await page.context().close();
});

test('the desktop chat window shows the reactions under the messages and offers the picker', async () => {
  const page = await acme.chatWindow('bob');
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Alice Ames/ })
    .click();
  // Bob's heart (first test) and Alice's fire (the phone), from the history.
  await chip(page, 'The release is out!', 'fire').waitFor(LIVE);
  assert.equal(await chip(page, 'The release is out!', 'redHeart').getAttribute('aria-pressed'), 'true');
  await messageItem(page, 'The release is out!').hover();
  await page.getByRole('button', { name: 'Add reaction' }).click();
  await page
    .getByRole('group', { name: 'Reactions to choose from' })
    .getByRole('button', { name: 'Thank you' })
    .click();
  await chip(page, 'The release is out!', 'foldedHands').waitFor(LIVE);
  await saveScreenshot(page, 'desktop-chat-reactions');
  await page.context().close();
});
