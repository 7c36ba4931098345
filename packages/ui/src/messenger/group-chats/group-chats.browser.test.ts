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
const membersList = (page: Page) => page.getByRole('list', { name: 'Chat members' });

test('a group chat is created and a member added; the other side sees it live, posts, and leaving shows', async () => {
  const alice = await signedIn('alice');
  const bob = await signedIn('bob');

  await alice.getByRole('button', { name: 'New group chat' }).click();
  const form = alice.getByRole('region', { name: 'New group chat' });
  await form.getByText('Bob Burns').waitFor();
  await form.getByRole('button', { name: 'Create chat' }).click();
  await form.getByRole('alert').filter({ hasText: 'Choose at least one person' }).waitFor();
  await form.getByLabel('Chat name (optional)').fill('Launch team');
  await form.getByRole('searchbox', { name: 'Find people by name' }).fill('bo');
  assert.equal(await form.getByText('Carol Cole').count(), 0, 'the filter narrows the list');
  await form.getByRole('checkbox', { name: /Bob Burns/ }).check();
  assert.equal(await form.getByRole('alert').count(), 0, 'the hint goes once someone is chosen');
  await saveScreenshot(alice, 'portal-web-new-group-chat');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await form.getByRole('button', { name: 'Create chat' }).click();

  // Alice is in the new chat at once; Bob's list gets it without reloading.
  await alice.getByRole('heading', { name: 'Launch team', level: 2 }).waitFor();
  await chatRow(bob, 'Launch team').waitFor(LIVE);
  await chatRow(bob, 'Launch team').click();
  await bob.getByRole('textbox', { name: 'Message' }).fill('hello team');
  await bob.getByRole('textbox', { name: 'Message' }).press('Enter');
  await messageLog(alice).getByText('hello team').waitFor(LIVE);
  const bobsMessage = messageLog(alice).getByRole('listitem').filter({ hasText: 'hello team' });
  assert.match((await bobsMessage.textContent()) ?? '', /Bob Burns/, 'a live message names its author');

  // The members panel: both are there; Alice owns the chat and adds Carol.
  await alice.getByRole('button', { name: 'Members' }).click();
  await membersList(alice).getByText('Bob Burns').waitFor();
  await membersList(alice).getByText('Owner').waitFor();
  await alice.getByRole('button', { name: 'Add people' }).click();
  await alice.getByRole('checkbox', { name: /Carol Cole/ }).check();
  await alice.getByRole('button', { name: 'Add to chat' }).click();
  await membersList(alice).getByText('Carol Cole').waitFor();
  await bob.getByRole('button', { name: 'Members' }).click();
  await membersList(bob).getByText('Carol Cole').waitFor(LIVE);
  assert.equal(await bob.getByRole('button', { name: /^Remove / }).count(), 0, 'a plain member removes nobody');
  await alice.mouse.move(0, 0);
  await saveScreenshot(alice, 'portal-web-chat-members');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);

  // The owner removes Carol; Bob's panel follows.
  await alice.getByRole('button', { name: 'Remove Carol Cole' }).click();
  await membersList(bob)
    .getByText('Carol Cole')
    .waitFor({ state: 'detached', ...LIVE });

  // Bob leaves: the chat goes from his list; Alice sees him go.
  await bob.getByRole('button', { name: 'Leave chat' }).click();
  await bob.getByRole('button', { name: 'Leave', exact: true }).click();
  await chatRow(bob, 'Launch team').waitFor({ state: 'detached' });
  await membersList(alice)
    .getByText('Bob Burns')
    .waitFor({ state: 'detached', ...LIVE });
  await messageLog(alice).getByText('Bob Burns left the chat').waitFor(LIVE);
  await alice.context().close();
  await bob.context().close();
});

test('on the phone: members replace the conversation, with large touch targets', async () => {
  const carol = await signedIn('carol', '/m/', PHONE_VIEWPORT);
  await carol.getByRole('button', { name: 'New group chat' }).click();
  await carol.getByRole('checkbox', { name: /Alice Ames/ }).check();
  await carol.mouse.move(1, 1);
  await saveScreenshot(carol, 'mobile-new-group-chat');
  assert.deepEqual(await smallTouchTargets(carol), []);
  assert.deepEqual(await seriousAccessibilityViolations(carol), []);
  await carol.getByRole('button', { name: 'Create chat' }).click();
  await carol.getByRole('heading', { name: /Alice Ames/, level: 2 }).waitFor();
  await carol.getByRole('button', { name: 'Members' }).click();
  await membersList(carol).getByText('Alice Ames').waitFor();
  assert.equal(await messageLog(carol).count(), 0);
  await saveScreenshot(carol, 'mobile-chat-members');
  assert.deepEqual(await smallTouchTargets(carol), []);
  assert.deepEqual(await seriousAccessibilityViolations(carol), []);
  await carol.context().close();
});
