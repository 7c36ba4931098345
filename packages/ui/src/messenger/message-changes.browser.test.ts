import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    // Bob has written to Alice from his desktop.
    const bobDesktop = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bobDesktop.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    const sent = await bobDesktop.rest('im.message.add', {
      DIALOG_ID: users.alice!.id,
      MESSAGE: 'Are we still meeting?',
    });
    assert.equal(sent.status, 200);
  },
);

async function signedInWithDialog(
  login: string,
  withName: string,
  path = '/',
  viewport = DESKTOP_VIEWPORT,
): Promise<Page> {
  const page = await acme.signedIn(login, path, viewport);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(withName) })
    .click();
  return page;
}

const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
const messageItem = (page: Page, text: string) => messageLog(page).getByRole('listitem').filter({ hasText: text });

test('the author edits and deletes a message; the other side sees both live; nobody else may', async () => {
  const alicePage = await signedInWithDialog('alice', 'Bob Burns');
  const bobPage = await signedInWithDialog('bob', 'Alice Ames');
  const composer = alicePage.getByRole('textbox', { name: 'Message' });
  await composer.fill("Yes, let's meet at 10");
  await composer.press('Enter');
  await messageItem(bobPage, 'meet at 10').waitFor(LIVE);

  // Bob's message offers Alice nothing to change; her own does, on hover.
  await messageItem(alicePage, 'Are we still meeting?').hover();
  assert.equal(await alicePage.getByRole('button', { name: 'Edit message' }).count(), 0);
  await messageItem(alicePage, 'meet at 10').hover();
  await alicePage.getByRole('button', { name: 'Edit message' }).waitFor();
  await saveScreenshot(alicePage, 'portal-web-message-actions');
  assert.deepEqual(await seriousAccessibilityViolations(alicePage), []);
  await alicePage.getByRole('button', { name: 'Edit message' }).click();

  // The composer holds the message; Enter saves it, and both sides show the new text as edited.
  const editBox = alicePage.getByRole('textbox', { name: 'Edited message' });
  assert.equal(await editBox.textContent(), "Yes, let's meet at 10");
  await editBox.fill("Yes, let's meet at 11");
  await editBox.press('Enter');
  await alicePage.getByRole('textbox', { name: 'Message' }).waitFor();
  for (const page of [alicePage, bobPage]) {
    const item = messageItem(page, 'meet at 11');
    await item.waitFor(LIVE);
    await item.getByText('edited').waitFor();
    assert.equal(await messageItem(page, 'meet at 10').count(), 0);
  }
  await bobPage.getByRole('navigation', { name: 'Chats' }).getByText('meet at 11').waitFor(LIVE);

  // From the keyboard: Up in the empty box edits the last message; Escape gives the draft back.
  const box = alicePage.getByRole('textbox', { name: 'Message' });
  await box.press('ArrowUp');
  assert.equal(await alicePage.getByRole('textbox', { name: 'Edited message' }).textContent(), "Yes, let's meet at 11");
  await alicePage.getByRole('textbox', { name: 'Edited message' }).press('Escape');
  assert.equal(await box.textContent(), '');
  await box.fill('half-written');
  await box.press('ArrowUp');
  assert.equal(await box.textContent(), 'half-written', 'Up inside a draft only moves the caret');
  await box.fill('');

  // Delete asks once, then the message says it was deleted, on both sides.
  await messageItem(alicePage, 'meet at 11').hover();
  await alicePage.getByRole('button', { name: 'Delete message' }).click();
  await alicePage.getByRole('button', { name: 'Keep' }).click();
  await messageItem(alicePage, 'meet at 11').hover();
  await alicePage.getByRole('button', { name: 'Delete message' }).click();
  await alicePage
    .getByRole('group', { name: 'Delete this message?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  for (const page of [alicePage, bobPage]) {
    await messageItem(page, 'This message has been deleted.').waitFor(LIVE);
    assert.equal(await messageItem(page, 'meet at 11').count(), 0);
  }
  await messageItem(alicePage, 'This message has been deleted.').hover();
  assert.equal(
    await alicePage.getByRole('button', { name: 'Edit message' }).count(),
    0,
    'a deleted message stays deleted',
  );
  await alicePage.context().close();
  await bobPage.context().close();
});

test('an answer quotes the message it answers, on both sides; the quote leads back to it; Esc drops a reply', async () => {
  const alicePage = await signedInWithDialog('alice', 'Bob Burns');
  const bobPage = await signedInWithDialog('bob', 'Alice Ames');
  await bobPage.getByRole('textbox', { name: 'Message' }).fill('Lunch at noon?');
  await bobPage.getByRole('textbox', { name: 'Message' }).press('Enter');
  await messageItem(alicePage, 'Lunch at noon?').hover(LIVE);
  await alicePage.getByRole('button', { name: 'Reply to message' }).click();
  const replying = alicePage.getByTestId('replying-to');
  assert.match((await replying.textContent()) ?? '', /Replying to\s+Bob Burns: Lunch at noon\?/);
  const box = alicePage.getByRole('textbox', { name: 'Message' });
  assert.ok(await box.evaluate((element) => element === document.activeElement), 'the box is ready to type into');
  await box.fill('Noon works');
  await box.press('Enter');
  await replying.waitFor({ state: 'detached' });

  for (const [page, author] of [
    [alicePage, 'Bob Burns'],
    [bobPage, 'You'],
  ] as const) {
    const quote = messageItem(page, 'Noon works').getByTestId('reply-quote');
    await quote.waitFor(LIVE);
    assert.match((await quote.textContent()) ?? '', new RegExp(`^\\s*${author}\\s*Lunch at noon\\?`));
  }
  await saveScreenshot(alicePage, 'portal-web-reply');
  assert.deepEqual(await seriousAccessibilityViolations(alicePage), []);
  // The server keeps what it answers (REPLY_ID in the message's params), as Bitrix24 does.
  const desktop = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await desktop.signIn('bob', MESSENGER_PASSWORD)).status, 200);
  const history = await desktop.rest('im.dialog.messages.get', { DIALOG_ID: acme.users.alice!.id, LIMIT: 2 });
  const [newest, answered] = (history.body.result as { messages: { id: number; text: string; params: unknown }[] })
    .messages;
  assert.equal(newest?.text, 'Noon works');
  assert.equal(answered?.text, 'Lunch at noon?');
  assert.deepEqual(newest?.params, { REPLY_ID: answered?.id });

  // The quote leads back to the message it answers.
  await messageItem(alicePage, 'Noon works').getByTestId('reply-quote').click();
  await alicePage.waitForFunction(
    () =>
      document.activeElement?.querySelector('[data-testid=message-author]') !== null &&
      document.activeElement?.textContent?.includes('Lunch at noon?') &&
      !document.activeElement?.textContent?.includes('Noon works'),
  );

  // Esc drops a reply: what is sent then is a plain message.
  await messageItem(alicePage, 'Lunch at noon?').first().hover();
  await alicePage.getByRole('button', { name: 'Reply to message' }).click();
  await replying.waitFor();
  await box.press('Escape');
  await replying.waitFor({ state: 'detached' });
  await box.fill('See you');
  await box.press('Enter');
  await messageItem(alicePage, 'See you').waitFor();
  assert.equal(await messageItem(alicePage, 'See you').getByTestId('reply-quote').count(), 0);
  await alicePage.context().close();
  await bobPage.context().close();
});

test('"@" and a few letters offer colleagues; the one picked is mentioned, highlighted for them, sent as [USER=id]', async () => {
  const alicePage = await signedInWithDialog('alice', 'Bob Burns');
  const bobPage = await signedInWithDialog('bob', 'Alice Ames');
  const box = alicePage.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('Thanks @bu');
  const choices = alicePage.getByRole('listbox', { name: 'Mention a colleague' });
  await choices.getByRole('option', { name: /Bob Burns/ }).waitFor();
  assert.equal(await choices.getByRole('option', { name: /Alice Ames/ }).count(), 0, 'not oneself');
  await saveScreenshot(alicePage, 'portal-web-mention-choices');
  assert.deepEqual(await seriousAccessibilityViolations(alicePage), []);
  await box.press('Enter');
  // Enter picks, it does not send: the name is a chip in the box.
  assert.equal(await box.locator('[data-mention-chip]').textContent(), 'Bob Burns');
  assert.equal(await box.textContent(), 'Thanks Bob Burns ');
  await box.pressSequentially('for lunch');
  await box.press('Enter');

  const mention = messageItem(bobPage, 'for lunch').locator(`[data-mention="${acme.users.bob!.id}"]`);
  await mention.waitFor(LIVE);
  assert.equal(await mention.textContent(), 'Bob Burns');
  const desktop = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await desktop.signIn('bob', MESSENGER_PASSWORD)).status, 200);
  const history = await desktop.rest('im.dialog.messages.get', { DIALOG_ID: acme.users.alice!.id, LIMIT: 1 });
  const [sent] = (history.body.result as { messages: { text: string }[] }).messages;
  assert.equal(sent?.text, `Thanks [USER=${acme.users.bob!.id}]Bob Burns[/USER] for lunch`);

  // Escape closes the choices and leaves what was typed.
  await box.pressSequentially('@bo');
  await choices.waitFor();
  await box.press('Escape');
  await choices.waitFor({ state: 'detached' });
  assert.equal(await box.textContent(), '@bo');
  await box.fill('');
  await alicePage.context().close();
  await bobPage.context().close();
});

test('on the phone, a tap on your own message offers Edit and Delete with large touch targets', async () => {
  const bob = await signedInWithDialog('bob', 'Alice Ames', '/m/', PHONE_VIEWPORT);
  await messageItem(bob, 'Are we still meeting?').tap();
  await bob.getByRole('button', { name: 'Edit message' }).waitFor();
  assert.deepEqual(await smallTouchTargets(bob), []);
  await saveScreenshot(bob, 'mobile-message-actions');
  await bob.getByRole('button', { name: 'Edit message' }).tap();
  const editBox = bob.getByRole('textbox', { name: 'Edited message' });
  await editBox.fill('Are we still meeting at 11?');
  await bob.getByRole('button', { name: 'Save' }).tap();
  await messageItem(bob, 'still meeting at 11?').getByText('edited').waitFor();
  await bob.context().close();
});
