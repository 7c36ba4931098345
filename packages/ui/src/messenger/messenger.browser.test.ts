import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createUserWithPassword,
  type Portal,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import {
  DESKTOP_VIEWPORT,
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
} from '../testing/browser.ts';
import { HISTORY_PAGE_SIZE } from './api/messenger-api.ts';

const PASSWORD = 'correct horse battery staple';
const LIVE = { timeout: 10_000 };
const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '[url=javascript:window.__xss=1]click me[/url]',
  '[url=https://example.com/"><img src=x onerror=window.__xss=1>]site[/url]',
];
// Bob sends fewer messages than the default send rate limit (60 in 10 s) allows.
const server: TestServer = await startTestServer();
let browser: Browser;
let acme: Portal;
let origin: string;
let alice: { id: number };
let bobDesktop: TestDesktop;
const EARLY_MESSAGES = HISTORY_PAGE_SIZE + 10;

before(async () => {
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  alice = await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Alice', lastName: 'Ames', username: 'alice' },
    PASSWORD,
  );
  await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Burns', username: 'bob' }, PASSWORD);
  bobDesktop = new TestDesktop(server, 'acme.localhost');
  assert.equal((await bobDesktop.signIn('bob', PASSWORD)).status, 200);
  for (let n = 1; n <= EARLY_MESSAGES; n++) await bobSays(`early message ${n}`);
  for (const payload of XSS) await bobSays(payload);
  await bobSays(`Hi [user=${alice.id}]Alice[/user], see [b]this[/b]`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server.close();
});

async function bobSays(text: string) {
  const sent = await bobDesktop.rest('im.message.add', { DIALOG_ID: alice.id, MESSAGE: text });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
}

async function signedIn(path: string, viewport: typeof DESKTOP_VIEWPORT, body: (watch: PageWatch) => Promise<void>) {
  const watch = await openWatchedPage(browser, origin, viewport);
  let dialogs = 0;
  watch.page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  try {
    await watch.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    await watch.page.getByLabel('Login').fill('alice');
    await watch.page.getByLabel('Password').fill(PASSWORD);
    await watch.page.getByRole('button', { name: 'Sign in' }).click();
    await watch.page
      .getByRole('navigation', { name: /Chats|Sections/ })
      .first()
      .waitFor();
    await body(watch);
    assert.equal(await watch.page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    assert.equal(dialogs, 0);
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.failedAssets, []);
  } finally {
    await watch.context.close();
  }
}

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByRole('listitem');

test('recent list, history with older pages on scroll up, safe rendering, mentions and read marks', async () => {
  await signedIn('/', DESKTOP_VIEWPORT, async ({ page }) => {
    const bobRow = page.getByRole('button', { name: /Bob Burns/ });
    await bobRow.waitFor();
    assert.ok(await bobRow.getByLabel(/\d+ unread/).isVisible(), 'the dialog shows its unread counter');
    // …and when its last message came: today, as a time.
    const lastMoved = bobRow.getByTestId('chat-last-moved');
    assert.match((await lastMoved.textContent())?.trim() ?? '', /^\d{1,2}:\d{2}( [AP]M)?$/);
    const lastMovedAt = Date.parse((await lastMoved.getAttribute('datetime')) ?? '');
    assert.ok(Date.now() - lastMovedAt < 10 * 60_000, 'the time is the last message’s');

    await bobRow.click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('see this').waitFor();
    const firstPage = await messages(page).count();
    assert.equal(firstPage, HISTORY_PAGE_SIZE);

    // Markup arrived as text: visible, escaped, and nothing ran.
    await log.getByText('<img src=x onerror="window.__xss=1">').waitFor();
    await log.getByText('<script>window.__xss=1</script>').waitFor();
    assert.equal(await log.locator('img, script, iframe').count(), 0);
    const hrefs = await log.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(
      hrefs.every((href) => href?.startsWith('https://')),
      `unsafe link: ${hrefs.join(', ')}`,
    );
    assert.equal(await log.getByRole('link', { name: 'click me' }).count(), 0);

    // The mention of the reader stands out.
    const mention = log.locator(`[data-mention="${alice.id}"]`);
    assert.equal(await mention.textContent(), 'Alice');

    // Seen: the counter goes away.
    await bobRow.getByLabel(/\d+ unread/).waitFor({ state: 'detached' });

    await saveScreenshot(page, 'portal-web-dialog');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    // Scrolling to the top brings the older messages, then the beginning.
    for (let i = 0; i < 5 && !(await log.getByText('early message 1', { exact: true }).count()); i++) {
      await page.locator('[data-message-id]').first().scrollIntoViewIfNeeded();
      await log.evaluate((element) => {
        element.parentElement!.scrollTop = 0;
        element.parentElement!.dispatchEvent(new Event('scroll'));
      });
      await page.waitForTimeout(300);
    }
    await log.getByText('early message 1', { exact: true }).waitFor();
    await page.getByText('This is the beginning of the conversation.').waitFor();
    assert.equal(await messages(page).count(), EARLY_MESSAGES + XSS.length + 1);

    // Alice had read none of them: "New messages" stands above the first.
    const divider = log.getByRole('separator', { name: 'New messages' });
    assert.equal(await divider.count(), 1);
    assert.equal(
      await divider.evaluate(
        (line) => line.nextElementSibling?.querySelector('li') === line.closest('[role=log]')?.querySelector('li'),
      ),
      true,
      'the line stands above the first message',
    );
    assert.equal(await messages(page).first().getByText('early message 1', { exact: true }).count(), 1);
    await divider.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'portal-web-dialog-beginning');

    // Bob's messages came one after another: his name heads the run once, as in any messenger,
    // and every message still carries it for a screen reader.
    const authors = page.getByTestId('message-author');
    assert.deepEqual(
      await authors.evaluateAll((names) =>
        names.filter((name) => name.getBoundingClientRect().height > 1).map((name) => name.textContent?.trim()),
      ),
      ['Bob Burns'],
    );
    assert.equal(await authors.count(), EARLY_MESSAGES + XSS.length + 1);
    assert.ok((await authors.allTextContents()).every((name) => name.trim() === 'Bob Burns'));

    // Up here, a message that comes in is counted on the way back down, and one click goes there.
    await page.getByRole('button', { name: 'Go to the newest messages' }).waitFor();
    await bobSays('are you there?');
    const jump = page.getByRole('button', { name: '1 new message: go to the newest' });
    await jump.waitFor(LIVE);
    await saveScreenshot(page, 'portal-web-dialog-new-below');
    await jump.click();
    await log.getByText('are you there?').waitFor();
    await page.waitForFunction(() => {
      const scroller = document.querySelector('[role=log]')?.parentElement;
      return scroller ? scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40 : false;
    });
    await jump.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: /go to the newest/i }).count(), 0);
  });
});

test('the composer: Enter sends, Shift+Enter breaks the line', async () => {
  await signedIn('/', DESKTOP_VIEWPORT, async ({ page }) => {
    await page.getByRole('button', { name: /Bob Burns/ }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.pressSequentially('Line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('Line two');
    await box.press('Enter');
    await page.getByRole('log', { name: 'Messages' }).getByText('Line two').waitFor();
    // The box empties when the portal has taken the message; its echo may show a moment before.
    await page.waitForFunction(() => document.getElementById('composer-text')?.textContent === '');
    const history = await bobDesktop.rest('im.dialog.messages.get', { DIALOG_ID: alice.id, LIMIT: 1 });
    const [latest] = (history.body.result as { messages: { text: string; author_id: number }[] }).messages;
    assert.equal(latest?.text, 'Line one\nLine two');
    assert.equal(latest?.author_id, alice.id);
  });
});

test('on the phone: the list, then one dialog at a time with a way back', async () => {
  await signedIn('/m/', PHONE_VIEWPORT, async ({ page }) => {
    await page.getByRole('searchbox', { name: 'Search chats' }).waitFor();
    assert.deepEqual(await smallTouchTargets(page), [], 'the chat list, search box included, suits a finger');
    await page.getByRole('button', { name: /Bob Burns/ }).click();
    await page.getByRole('log', { name: 'Messages' }).getByText('see this').waitFor();
    await saveScreenshot(page, 'mobile-dialog');
    assert.deepEqual(await smallTouchTargets(page), []);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Back to chats' }).click();
    await page.getByRole('button', { name: /Bob Burns/ }).waitFor();
  });
});

test('live: a new message and the typing signal arrive without reloading', async () => {
  await signedIn('/', DESKTOP_VIEWPORT, async ({ page }) => {
    await page.getByRole('button', { name: /Bob Burns/ }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('see this').waitFor();
    await page.waitForTimeout(1000);
    const writing = await bobDesktop.rest('im.dialog.writing', { DIALOG_ID: alice.id });
    assert.equal(writing.status, 200, JSON.stringify(writing.body));
    await page.getByText('Bob Burns is typing…').waitFor({ timeout: 10_000 });
    // The chat list says so too, in place of the last message.
    const bobRow = page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Bob Burns/ });
    await bobRow.getByText('typing…', { exact: true }).waitFor();
    await bobSays('a live one');
    await log.getByText('a live one').waitFor({ timeout: 10_000 });
    await page.getByText('Bob Burns is typing…').waitFor({ state: 'detached' });
    await bobRow.getByText('a live one').waitFor();
    assert.equal(await bobRow.getByText('typing…', { exact: true }).count(), 0);
  });
});
