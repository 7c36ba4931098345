import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../../testing/accessibility.ts';
import { PHONE_VIEWPORT, saveScreenshot } from '../../testing/browser.ts';
import { messengerPortal } from '../../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
const { signedIn } = messengerPortal([
  ['Alice', 'Ames'],
  ['Bob', 'Burns'],
  ['Carol', 'Cole'],
]);

const chatRow = (page: Page, title: string) =>
  page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: new RegExp(title) });
const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });

test('someone with no chats yet finds a colleague by name and writes to them; it arrives live', async () => {
  const alice = await signedIn('alice');
  const carol = await signedIn('carol');
  await alice.getByText('No chats yet.').waitFor();

  await alice.getByRole('button', { name: 'New message' }).click();
  const form = alice.getByRole('region', { name: 'New message' });
  const colleagues = form.getByRole('listbox', { name: 'Colleagues' });
  await colleagues.getByRole('option', { name: /Bob Burns/ }).waitFor();
  assert.equal(await colleagues.getByRole('option', { name: /Alice Ames/ }).count(), 0, 'not oneself');
  await form.getByRole('combobox', { name: 'Find a colleague' }).fill('car');
  assert.equal(await colleagues.getByRole('option', { name: /Bob Burns/ }).count(), 0, 'the filter narrows the list');
  await saveScreenshot(alice, 'portal-web-new-message');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await form.getByRole('combobox', { name: 'Find a colleague' }).fill('nobody like this');
  await form.getByText('Nobody by that name.').waitFor();
  await form.getByRole('combobox', { name: 'Find a colleague' }).fill('cole');
  await colleagues.getByRole('option', { name: /Carol Cole/ }).click();

  // The dialog opens under Carol's name before it has a message, and the picker is gone.
  const conversation = alice.getByRole('region', { name: 'Conversation' });
  await conversation.getByRole('heading', { name: 'Carol Cole', level: 2 }).waitFor();
  assert.equal(await alice.getByRole('region', { name: 'New message' }).count(), 0);
  await alice.getByRole('textbox', { name: 'Message' }).fill('Hi Carol, lunch?');
  await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
  await chatRow(alice, 'Carol Cole').waitFor();
  const status = alice.getByTestId('own-message-status');
  await status.getByText('Sent').waitFor();

  // Carol gets it without reloading, from Alice, under Alice's name; once she has read it, Alice
  // sees so.
  await chatRow(carol, 'Alice Ames').waitFor(LIVE);
  // In the chat list, each side sees who wrote last.
  await chatRow(alice, 'Carol Cole').getByText('You: Hi Carol, lunch?').waitFor();
  assert.doesNotMatch((await chatRow(carol, 'Alice Ames').textContent()) ?? '', /You:/);
  await carol.waitForFunction(() => document.title === '(1) Portaldesk', undefined, LIVE);
  await chatRow(carol, 'Alice Ames').click();
  await messageLog(carol).getByText('Hi Carol, lunch?').waitFor();
  await status.getByText('Seen').waitFor(LIVE);
  await carol.waitForFunction(() => document.title === 'Portaldesk', undefined, LIVE);
  await saveScreenshot(alice, 'portal-web-message-seen');

  // Writing to Carol again opens the same dialog, not a second one.
  await alice.getByRole('button', { name: 'New message' }).click();
  await alice
    .getByRole('listbox', { name: 'Colleagues' })
    .getByRole('option', { name: /Carol Cole/ })
    .click();
  await messageLog(alice).getByText('Hi Carol, lunch?').waitFor();
  assert.equal(await chatRow(alice, 'Carol Cole').count(), 1);
  await alice.context().close();
  await carol.context().close();
});

test('"New message" from the keyboard, like "@": a few letters and Enter, or Up and Down; Escape clears, then closes', async () => {
  const alice = await signedIn('alice');
  await alice.getByRole('button', { name: 'New message' }).click();
  const find = alice.getByRole('combobox', { name: 'Find a colleague' });
  const choices = alice.getByRole('listbox', { name: 'Colleagues' });
  const highlighted = choices.getByRole('option', { selected: true });
  await choices.getByRole('option', { name: /Carol Cole/ }).waitFor();
  assert.ok(await find.evaluate((element) => element === document.activeElement), 'the box has the keyboard');
  // The first is taken unless another is chosen; the box says which, for screen readers too.
  assert.match((await highlighted.textContent()) ?? '', /Bob Burns/);
  await find.press('ArrowDown');
  assert.match((await highlighted.textContent()) ?? '', /Carol Cole/);
  assert.equal(await find.getAttribute('aria-activedescendant'), await highlighted.getAttribute('id'));
  await find.press('ArrowDown');
  assert.match((await highlighted.textContent()) ?? '', /Bob Burns/, 'Down at the end goes round to the top');
  await find.press('ArrowUp');
  await saveScreenshot(alice, 'portal-web-new-message-keyboard');
  await find.press('Enter');
  await alice.getByRole('heading', { name: 'Carol Cole', level: 2 }).waitFor();

  // Typing narrows, Enter takes the one left.
  await alice.getByRole('button', { name: 'New message' }).click();
  await find.pressSequentially('burn');
  await choices.getByRole('option', { name: /Carol Cole/ }).waitFor({ state: 'detached' });
  await find.press('Enter');
  await alice.getByRole('heading', { name: 'Bob Burns', level: 2 }).waitFor();

  // Escape empties the box first, then closes the picker.
  await alice.getByRole('button', { name: 'New message' }).click();
  await find.pressSequentially('nobody');
  await alice.getByText('Nobody by that name.').waitFor();
  await find.press('Enter');
  assert.equal(
    await alice.getByRole('region', { name: 'New message' }).count(),
    1,
    'Enter with nobody found does nothing',
  );
  await find.press('Escape');
  assert.equal(await find.inputValue(), '');
  await find.press('Escape');
  await alice.getByRole('region', { name: 'New message' }).waitFor({ state: 'detached' });
  await alice.context().close();
});

test('a name typed and Enter pressed before the colleagues have loaded opens that colleague once they arrive', async () => {
  const alice = await signedIn('alice');
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The list's answer is held back, as on a slow connection.
  await alice.route('**/rest/user.get.json', async (route) => {
    await held;
    await route.continue();
  });
  await alice.getByRole('button', { name: 'New message' }).click();
  const form = alice.getByRole('region', { name: 'New message' });
  await form.getByText('Loading colleagues…').waitFor();
  const find = form.getByRole('combobox', { name: 'Find a colleague' });
  await find.pressSequentially('carol');
  await find.press('Enter');
  assert.equal(await form.count(), 1, 'nothing to choose from yet: the picker stays');
  release();
  await alice
    .getByRole('region', { name: 'Conversation' })
    .getByRole('heading', { name: 'Carol Cole', level: 2 })
    .waitFor();
  assert.equal(await form.count(), 0);
  await alice.context().close();
});

test('a half-written message stays with its own chat, never follows the reader into another', async () => {
  const alice = await signedIn('alice');
  const box = alice.getByRole('textbox', { name: 'Message' });
  const writeTo = async (name: string) => {
    await alice.getByRole('button', { name: 'New message' }).click();
    await alice
      .getByRole('listbox', { name: 'Colleagues' })
      .getByRole('option', { name: new RegExp(name) })
      .click();
    await alice.getByRole('heading', { name, level: 2 }).waitFor();
  };
  await writeTo('Bob Burns');
  await box.fill('Bob, about the report');
  await writeTo('Carol Cole');
  assert.equal(await box.textContent(), '', 'Carol’s box is empty');
  assert.ok(await box.evaluate((element) => element === document.activeElement), 'and ready to type into');
  await box.fill('Carol, about lunch');
  await writeTo('Bob Burns');
  // The chat list says which chat holds an unsent message.
  await chatRow(alice, 'Carol Cole').getByText('Draft: Carol, about lunch').waitFor();
  await saveScreenshot(alice, 'portal-web-draft');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  assert.equal(await box.textContent(), 'Bob, about the report');
  await box.press('Enter');
  await messageLog(alice).getByText('Bob, about the report').waitFor();
  // The box empties when the portal has taken the message; its echo may show a moment before.
  await alice.waitForFunction(() => document.getElementById('composer-text')?.textContent === '');
  await chatRow(alice, 'Bob Burns').waitFor();
  await chatRow(alice, 'Carol Cole').click();
  assert.equal(await box.textContent(), 'Carol, about lunch');
  await alice.context().close();

  // On a phone, going back to the list and into the chat again keeps it too.
  const bob = await signedIn('bob', '/m/', PHONE_VIEWPORT);
  await chatRow(bob, 'Alice Ames').click();
  await bob.getByRole('textbox', { name: 'Message' }).fill('On my way');
  await bob.getByRole('button', { name: 'Back to chats' }).click();
  await chatRow(bob, 'Alice Ames').click();
  assert.equal(await bob.getByRole('textbox', { name: 'Message' }).textContent(), 'On my way');
  await bob.context().close();
});

test('the chat list narrows to the chats whose name has what the reader types', async () => {
  // Alice writes to Bob and Carol in the tests above.
  const alice = await signedIn('alice');
  await chatRow(alice, 'Bob Burns').waitFor();
  await chatRow(alice, 'Carol Cole').waitFor();
  const search = alice.getByRole('searchbox', { name: 'Search chats' });
  assert.equal(
    await search.getAttribute('placeholder'),
    'Search chats (Ctrl+K)',
    'with a mouse, the shortcut is named',
  );
  await search.fill('COLE car');
  await chatRow(alice, 'Bob Burns').waitFor({ state: 'detached' });
  assert.equal(await chatRow(alice, 'Carol Cole').count(), 1);
  await search.fill('Dave');
  await alice.getByText('No chat is called that.').waitFor();
  await search.press('Escape');
  assert.equal(await search.inputValue(), '', 'Escape clears it');
  await chatRow(alice, 'Bob Burns').waitFor();

  // From the keyboard, as in Slack: Ctrl+K, a few letters, Enter, and the chat is open to type in.
  await chatRow(alice, 'Bob Burns').click();
  await alice.getByRole('heading', { name: 'Bob Burns', level: 2 }).waitFor();
  await alice.keyboard.press('Control+k');
  assert.ok(await search.evaluate((element) => element === document.activeElement), 'Ctrl+K goes to the search');
  await alice.keyboard.type('car');
  await alice.keyboard.press('Enter');
  await alice.getByRole('heading', { name: 'Carol Cole', level: 2 }).waitFor();
  assert.equal(await search.inputValue(), '');
  const box = alice.getByRole('textbox', { name: 'Message' });
  await alice.waitForFunction(() => document.activeElement?.getAttribute('id') === 'composer-text');
  assert.equal(await box.count(), 1);
  await alice.context().close();
});

test('on the phone: the colleague list replaces the chats, with large touch targets, and Cancel goes back', async () => {
  const bob = await signedIn('bob', '/m/', PHONE_VIEWPORT);
  // A finger has no Ctrl+K to press.
  assert.equal(await bob.getByRole('searchbox', { name: 'Search chats' }).getAttribute('placeholder'), 'Search chats');
  await bob.getByRole('button', { name: 'New message' }).click();
  const form = bob.getByRole('region', { name: 'New message' });
  await form.getByRole('option', { name: /Alice Ames/ }).waitFor();
  assert.equal(await bob.getByRole('navigation', { name: 'Chats' }).count(), 0, 'one screen at a time');
  await saveScreenshot(bob, 'mobile-new-message');
  assert.deepEqual(await smallTouchTargets(bob), []);
  assert.deepEqual(await seriousAccessibilityViolations(bob), []);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await bob.getByRole('navigation', { name: 'Chats' }).waitFor();

  await bob.getByRole('button', { name: 'New message' }).click();
  await form.getByRole('option', { name: /Alice Ames/ }).tap();
  await bob.getByRole('heading', { name: 'Alice Ames', level: 2 }).waitFor();
  await bob.getByRole('button', { name: 'Back to chats' }).waitFor();
  await bob.context().close();
});
