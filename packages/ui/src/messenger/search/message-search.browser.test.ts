import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../../testing/accessibility.ts';
import { PHONE_VIEWPORT, saveScreenshot } from '../../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
/** Far enough back that the dialog's first page does not hold it. */
const OLD_MESSAGE = 'The pineapple delivery arrives on Friday <img src=x onerror="window.hacked=1">';
let projectChat = '';

const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
    ['Carol', 'Cole'],
  ],
  async ({ server, users }) => {
    const desktops: Record<string, TestDesktop> = {};
    for (const login of ['alice', 'bob']) {
      desktops[login] = new TestDesktop(server, 'acme.localhost');
      assert.equal((await desktops[login].signIn(login, MESSENGER_PASSWORD)).status, 200);
    }
    const say = async (login: string, dialogId: string | number, text: string) =>
      assert.equal((await desktops[login]!.rest('im.message.add', { DIALOG_ID: dialogId, MESSAGE: text })).status, 200);
    const [alice, bob] = [users.alice!.id, users.bob!.id];
    await say('bob', alice, 'Morning!');
    await say('bob', alice, OLD_MESSAGE);
    // Two senders, each well under the send rate limit.
    for (let i = 1; i <= 60; i++) await say(i % 2 ? 'alice' : 'bob', i % 2 ? bob : alice, `Status update number ${i}`);
    const chat = await desktops.bob!.rest('im.chat.add', { USERS: [alice], TITLE: 'Project Kiwi' });
    projectChat = `chat${(chat.body as { result: number }).result}`;
    await say('bob', projectChat, 'The [B]kiwi[/B] budget is approved');
    await say('bob', users.carol!.id, 'Hi Carol, how is the garden?');
  },
);

const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
const messageItem = (page: Page, text: string) => messageLog(page).getByRole('listitem').filter({ hasText: text });

/** Whether the message is inside the visible part of the history. */
async function inView(page: Page, text: string): Promise<boolean> {
  return messageItem(page, text).evaluate((element) => {
    const box = element.getBoundingClientRect();
    const scroller = element.closest('.overflow-y-auto')?.getBoundingClientRect();
    return !!scroller && box.top >= scroller.top - 1 && box.bottom <= scroller.bottom + 1;
  });
}

test('a search in the open dialog finds an old message, marks the words, and jumps to it in its history', async () => {
  const page = await acme.signedIn('alice');
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  await messageItem(page, 'Status update number 60').waitFor(LIVE);
  assert.equal(await messageItem(page, 'pineapple').count(), 0, 'the old message is not on the first page');

  await page.getByRole('button', { name: 'Search in this chat' }).click();
  const box = page.getByRole('searchbox', { name: 'Search in this chat' });
  await box.fill('pi');
  await page.getByText('Type at least 3 characters.').waitFor();
  await box.fill('friday PINEAPP');
  const result = page.getByTestId('search-result').first();
  await result.waitFor(LIVE);
  assert.equal(await page.getByTestId('search-result').count(), 1);
  const marks = await result.locator('mark').allTextContents();
  assert.deepEqual(marks, ['pineapp', 'Friday']);
  // The message's markup is shown as text, never run.
  assert.match((await result.getByTestId('search-snippet').textContent()) ?? '', /<img src=x onerror=/);
  assert.equal(await result.locator('img').count(), 0);
  await saveScreenshot(page, 'portal-web-search-in-dialog');
  assert.deepEqual(await seriousAccessibilityViolations(page), []);

  await result.click();
  await messageItem(page, 'pineapple delivery').waitFor(LIVE);
  await page.waitForTimeout(600); // the smooth scroll settles
  assert.ok(await inView(page, 'pineapple delivery'), 'the found message is in view');
  assert.equal(await page.evaluate(() => (window as { hacked?: number }).hacked), undefined);
  await saveScreenshot(page, 'portal-web-search-jumped');

  // Read on towards the newest from there; new messages come once it is reached.
  await page.getByRole('button', { name: 'Go to the newest messages' }).click();
  await messageItem(page, 'Status update number 60').waitFor(LIVE);
  await page.context().close();
});

test('a search of every chat names the chat of each result, opens it at the message, and finds nothing of chats one is not in', async () => {
  const page = await acme.signedIn('alice');
  // What is typed in the chat list's search box can be looked for in every chat's messages.
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('kiwi budget');
  await page.getByRole('button', { name: 'Search messages for “kiwi budget”' }).click();
  assert.equal(await page.getByRole('searchbox', { name: 'Search messages in all chats' }).inputValue(), 'kiwi budget');
  const result = page.getByTestId('search-result').first();
  await result.waitFor(LIVE);
  assert.match((await result.textContent()) ?? '', /Bob Burns\s*in Project Kiwi/);
  assert.deepEqual(await result.locator('mark').allTextContents(), ['kiwi', 'budget']);
  await saveScreenshot(page, 'portal-web-search-everywhere');
  await result.click();
  await messageItem(page, 'budget is approved').waitFor(LIVE);
  assert.equal(await page.getByRole('heading', { level: 2 }).textContent(), 'Project Kiwi');
  await page.context().close();

  const carol = await acme.signedIn('carol');
  await carol.getByRole('searchbox', { name: 'Search chats' }).fill('kiwi budget');
  await carol.getByRole('button', { name: 'Search messages for “kiwi budget”' }).click();
  await carol.getByRole('status').filter({ hasText: 'Nothing found.' }).waitFor(LIVE);
  await carol.context().close();
});

test('on a phone the search takes the screen, and a result opens the conversation at the message', async () => {
  const page = await acme.signedIn('alice', '/m/', PHONE_VIEWPORT);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  await page.getByRole('button', { name: 'Search in this chat' }).click();
  await page.getByRole('searchbox', { name: 'Search in this chat' }).fill('pineapple');
  await page.getByTestId('search-result').first().waitFor(LIVE);
  await saveScreenshot(page, 'mobile-search-in-dialog');
  await page.getByTestId('search-result').first().click();
  await messageItem(page, 'pineapple delivery').waitFor(LIVE);
  await page.waitForTimeout(600);
  assert.ok(await inView(page, 'pineapple delivery'));
  await saveScreenshot(page, 'mobile-search-jumped');
  await page.context().close();
});
