import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  createUserWithPassword,
  leakedSecrets,
  sendFileByRest,
  startTestServer,
  TestDesktop,
  type TestServer,
  testPicture,
} from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import type { DesktopApp } from '../app/desktop-app.ts';
import type { AccountSettings } from '../config/settings.ts';
import { appPaths } from '../paths/app-paths.ts';
import { type DesktopSession, startDesktopSession } from '../testing/desktop-session.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import { descendantsOf } from '../testing/process-tree.ts';
import type { RecordingNotificationService } from '../testing/recording-notification-service.ts';
import type { RecordingTrayHost } from '../testing/recording-tray-host.ts';
import type { PrivateSessionBus } from '../testing/session-bus.ts';
import { drawTrayMenu } from '../testing/tray-menu-picture.ts';
import { until } from '../testing/until.ts';
import type { VirtualDisplay } from '../testing/xvfb.ts';
import type { AppWindow } from '../windows/window-manager.ts';

// The separate chat window against a real portal server, in real Chromium under Xvfb: the shared
// messenger screens for the active account, fed by the desktop's main process (REST with the
// account's background session, realtime events from its background connection). Other users
// post by REST as a second client would. Notifications and the tray go to recorders on a private
// session bus; no keyring service is reachable, so the encrypted-file vault is used.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-chat-'));
const paths = appPaths({ PORTALDESK_HOME: home });
const PASSWORD = 'a long desktop password';
const OLDER_MESSAGES = 35;

let server: TestServer;
let session: DesktopSession | undefined;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let app: DesktopApp | undefined;
let chat: AppWindow;
/** Bob writes to Ann on acme; Eve writes to Dana on beta. */
let bob: TestDesktop;
let eve: TestDesktop;
let cid: TestDesktop;
let annId: number;
let danaId: number;
/** What the app handed to the system's browser. */
const openedOutside: string[] = [];
let ann: AccountSettings;
let dana: AccountSettings;

before(async () => {
  requireBuiltUi('chat.html');
  // A burst of messages is what a test here sends on purpose; the portal's send limit is not its subject.
  server = await startTestServer({ config: { sendRateLimit: { messages: 500, seconds: 10 } } });
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const beta = await server.context.portals.create({ domain: 'beta.localhost', name: 'Beta' });
  annId = (
    await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD)
  ).id;
  await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Lin', username: 'bob' }, PASSWORD);
  await createUserWithPassword(server, acme.id, { firstName: 'Cid', lastName: 'Ray', username: 'cid' }, PASSWORD);
  danaId = (
    await createUserWithPassword(server, beta.id, { firstName: 'Dana', lastName: 'Roe', username: 'dana' }, PASSWORD)
  ).id;
  await createUserWithPassword(server, beta.id, { firstName: 'Eve', lastName: 'Moss', username: 'eve' }, PASSWORD);
  bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'bob-machine', user_account: 'bob' });
  eve = new TestDesktop(server, 'beta.localhost', { user_os_mark: 'eve-machine', user_account: 'eve' });
  assert.equal((await bob.signIn('bob', PASSWORD)).status, 200);
  assert.equal((await eve.signIn('eve', PASSWORD)).status, 200);
  cid = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'cid-machine', user_account: 'cid' });
  assert.equal((await cid.signIn('cid', PASSWORD)).status, 200);
  for (let n = 1; n <= OLDER_MESSAGES; n++) await says(bob, annId, `Older message ${n}`);
  await says(eve, danaId, 'Dana, the report is ready');
  session = await startDesktopSession();
  ({ display, bus, notifications, trayHost } = session);
});

after(async () => {
  await app?.quit();
  await session?.stop();
  assert.deepEqual(leakedSecrets(server, [PASSWORD]), []);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

async function says(from: TestDesktop, to: number, text: string): Promise<number> {
  const sent = await from.rest('im.message.add', { DIALOG_ID: to, MESSAGE: text });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  return Number(sent.body.result);
}

function header(page: Page) {
  return page.getByTestId('chat-account-header');
}

function messages(page: Page) {
  return page.getByRole('log', { name: 'Messages' }).locator('li');
}

test("the chat window shows the active account's chats with their unread counts", async () => {
  app = await startDesktopUnderTest(display, {
    paths,
    notificationBus: bus.address,
    openOutside: async (url) => {
      openedOutside.push(url);
    },
  });
  const port = server.port;
  for (const [address, login] of [
    [`acme.localhost:${port}`, 'ann'],
    [`beta.localhost:${port}`, 'dana'],
  ] as const) {
    const added = await app.lifecycle.addWithPassword({ address, login, password: PASSWORD });
    assert.equal(added.status, 'signed-in');
  }
  [ann, dana] = app.settings.get().accounts as [AccountSettings, AccountSettings];
  await until('both accounts are online', () => app!.delivery.statuses().every((s) => s.state === 'online'));
  await app.router.activate(ann.id);
  chat = await app.router.showChat();
  const page = chat.page;
  await header(page).getByText('Ann Lee').waitFor();
  assert.match((await header(page).textContent()) ?? '', /Acme/);
  assert.equal(await page.title(), 'Chats — Ann Lee · Acme');
  const chats = page.getByRole('navigation', { name: 'Chats' });
  await chats.getByText('Bob Lin').waitFor();
  assert.match((await chats.locator('li').first().textContent()) ?? '', /Older message 35/);
  assert.equal(await chats.getByLabel(`${OLDER_MESSAGES} unread`).count(), 1, "the dialog's unread counter");
  assert.equal(await chats.getByText('Eve Moss').count(), 0, "the other account's chats are not here");
  const rail = page.getByRole('navigation', { name: 'Accounts' });
  assert.equal(await rail.getByTestId('chat-account').count(), 2);
  assert.match((await rail.getByTestId('chat-account').nth(1).getAttribute('aria-label')) ?? '', /Dana Roe.*1 unread/);
  const monogramColours = await rail
    .getByTestId('account-monogram')
    .evaluateAll((circles) => circles.map((c) => getComputedStyle(c).backgroundColor));
  assert.equal(monogramColours.length, 2);
  assert.notEqual(monogramColours[0], monogramColours[1], 'each account has its own colour');
  await page.screenshot({ path: join(screenshots, 'desktop-chat-account-rail.png') });
});

test('the dialog opens at its newest messages, loads older ones on scrolling up, and reading clears the count', async () => {
  const page = chat.page;
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Bob Lin').click();
  await messages(page)
    .filter({ hasText: `Older message ${OLDER_MESSAGES}` })
    .waitFor();
  assert.equal(
    await messages(page)
      .filter({ hasText: 'Older message 1' })
      .filter({ hasNotText: /message 1\d/ })
      .count(),
    0,
  );
  const log = page.getByRole('log', { name: 'Messages' }).locator('..');
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await page.getByText('This is the beginning of the conversation.').count()) > 0) break;
    await log.evaluate((element) => {
      element.scrollTop = 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await page.getByText('This is the beginning of the conversation.').waitFor();
  assert.equal(await messages(page).count(), OLDER_MESSAGES, 'every message once, older ones loaded above');
  assert.equal(await messages(page).first().locator('p').nth(1).textContent(), 'Older message 1');
  await until('the read mark reached the portal', () => app!.delivery.connection(ann.id)?.unread === 0);
  await until('the list counter clears', async () => (await page.getByLabel(`${OLDER_MESSAGES} unread`).count()) === 0);
});

test('messages from others arrive live: typing, mentions highlighted, markup shown as text', async () => {
  const page = chat.page;
  assert.equal((await bob.rest('im.dialog.writing', { DIALOG_ID: annId })).status, 200);
  await page.getByText('Bob Lin is typing…').waitFor();
  await says(bob, annId, `[USER=${annId}]Ann Lee[/USER], see [b]this[/b] <img src=x onerror="document.title='owned'">`);
  const last = messages(page).last();
  await last.getByText('see').waitFor();
  assert.equal(await last.locator(`[data-mention="${annId}"]`).textContent(), 'Ann Lee', 'the mention is marked');
  assert.equal(await last.locator('b, strong').first().textContent(), 'this');
  assert.match((await last.textContent()) ?? '', /<img src=x onerror=/, 'what the sender typed stays text');
  assert.equal(await last.locator('img').count(), 0);
  assert.doesNotMatch(await page.title(), /owned/);
  await until('typing ends with the message', async () => (await page.getByText('Bob Lin is typing…').count()) === 0);
});

test('Enter sends, Shift+Enter starts a new line; the other side gets the message', async () => {
  const page = chat.page;
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('Two lines');
  await page.keyboard.press('Shift+Enter');
  await box.pressSequentially('second line');
  assert.equal(await box.innerText(), 'Two lines\nsecond line');
  await page.keyboard.press('Enter');
  await until('the box is empty again', async () => (await box.textContent()) === '');
  const history = await bob.rest('im.dialog.messages.get', { DIALOG_ID: annId, LIMIT: 1 });
  const [sent] = (history.body.result as { messages: { text: string; author_id: number }[] }).messages;
  assert.deepEqual(sent, { ...sent, text: 'Two lines\nsecond line', author_id: annId });
  await messages(page).last().getByText('second line').waitFor();
  assert.equal(await messages(page).filter({ hasText: 'Two lines' }).count(), 1, 'shown once, not again by its echo');
  const annInRail = page.getByRole('navigation', { name: 'Accounts' }).getByTestId('chat-account').first();
  await until('everything in the dialog is read', () => app!.delivery.connection(ann.id)?.unread === 0);
  await until(
    'the account rail shows it',
    async () => !/unread/.test((await annInRail.getAttribute('aria-label')) ?? ''),
  );
  await page.screenshot({ path: join(screenshots, 'desktop-chat-window.png') });
});

test('a burst in the dialog being read raises no popup; a burst elsewhere is one notification updated in place', async () => {
  const page = chat.page;
  await page.bringToFront();
  await until('the chat window has focus', () => page.evaluate(() => document.hasFocus()));
  const before = notifications.received.length;
  const BURST = 30;
  for (let n = 1; n <= BURST; n++) await says(bob, annId, `Burst in the open dialog ${n}`);
  await messages(page).getByText(`Burst in the open dialog ${BURST}`, { exact: true }).waitFor();
  for (let n = 1; n <= BURST; n++) await says(cid, annId, `Burst from elsewhere ${n}`);
  await notifications.waitFor((received) => received.at(-1)?.body === `Burst from elsewhere ${BURST}`);
  const shown = notifications.received.slice(before);
  assert.deepEqual(
    shown.filter((n) => /Bob Lin/.test(n.summary)),
    [],
    'nothing pops up for the conversation on screen',
  );
  const fromCid = shown.filter((n) => /Cid Ray/.test(n.summary));
  assert.equal(fromCid.length, shown.length, 'only the other dialog notified');
  assert.deepEqual(new Set(fromCid.map((n) => n.id)).size, 1, 'one notification, never a stack');
  assert.ok(
    fromCid.slice(1).every((n) => n.replacesId === fromCid[0]!.id),
    'each later one replaces the first (replaces_id)',
  );
});

test('a notification shows the plain text: names, link text, no markup', async () => {
  const page = chat.page;
  const before = notifications.received.length;
  await says(
    cid,
    annId,
    `[USER=${annId}]Ann Lee[/USER], see [b]the plan[/b] on [url=https://example.com/plan]the wiki[/url] [i]today[/i]`,
  );
  await notifications.waitFor((received) => received.length === before + 1);
  assert.equal(notifications.received.at(-1)!.body, 'Ann Lee, see the plan on the wiki today');
  // Reading Cid's dialog clears its count: the later tests count from zero.
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Cid Ray').click();
  await messages(page).getByText('the wiki').waitFor();
  await until('everything is read', () => app!.delivery.connection(ann.id)?.unread === 0);
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Bob Lin').click();
});

test('files: a picture shows, the paperclip sends through the main process, a file notifies what was sent', async () => {
  const page = chat.page;
  await sendFileByRest(bob, annId, 'whiteboard.png', await testPicture(800, 600));
  const picture = page.getByRole('log', { name: 'Messages' }).getByTestId('message-image').last().locator('img');
  await picture.waitFor();
  assert.ok(
    await picture.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
    'the preview came through the main process',
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Notes for Bob') });
  await until('Bob has the file', async () => {
    const history = await bob.rest('im.dialog.messages.get', { DIALOG_ID: annId, LIMIT: 1 });
    return (history.body.result as { files: { name: string }[] }).files.some((f) => f.name === 'notes.txt');
  });
  await page.getByRole('log', { name: 'Messages' }).getByTestId('file-card').filter({ hasText: 'notes.txt' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'desktop-chat-window-files.png') });

  const before = notifications.received.length;
  await sendFileByRest(cid, annId, 'report.pdf', Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'));
  await notifications.waitFor((received) => received.length === before + 1);
  assert.equal(notifications.received.at(-1)!.body, 'sent a file: report.pdf');
  // Reading Cid's dialog clears its count: the later tests count from zero.
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Cid Ray').click();
  await page.getByRole('log', { name: 'Messages' }).getByText('report.pdf').waitFor();
  await until('everything is read', () => app!.delivery.connection(ann.id)?.unread === 0);
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Bob Lin').click();
});

test("an app, not a page: outside links open in the system's browser; messages have the app's own menu", async () => {
  const page = chat.page;
  const chatUrl = page.url();
  await says(bob, annId, 'The plan is on [url=https://example.com/plan]the wiki[/url], [b]have a look[/b]');
  const message = messages(page).filter({ hasText: 'have a look' });
  await message.getByRole('link', { name: 'the wiki' }).click();
  await until('the link went to the system browser', () => openedOutside.includes('https://example.com/plan'));
  assert.equal(page.url(), chatUrl, 'the chat window stayed where it was');
  assert.equal(app!.windows.windows().length, 1, 'no window opened for it');
  // A script that tries to take the window elsewhere is stopped the same way.
  await page.evaluate(() => {
    window.location.href = 'https://example.org/elsewhere';
  });
  await until('the navigation went outside', () => openedOutside.includes('https://example.org/elsewhere'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(page.url(), chatUrl);
  await header(page).getByText('Ann Lee').waitFor();

  // Right-clicking a message shows the app's menu, not Chromium's page menu.
  await message.getByRole('link', { name: 'the wiki' }).click({ button: 'right' });
  const menu = page.getByRole('menu');
  await menu.waitFor();
  await new Promise((resolve) => setTimeout(resolve, 400)); // the menu's opening animation, for the picture
  assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), [
    'Copy text',
    'Copy link',
    'Reply',
    'Quote',
    'Forward…',
  ]);
  await page.screenshot({ path: join(screenshots, 'desktop-chat-message-menu.png') });
  await menu.getByRole('menuitem', { name: 'Copy link' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  // The copy lands on the clipboard a moment after the click: paste again until it is there.
  const pasteUntil = (what: string, expected: string) =>
    until(what, async () => {
      await box.fill('');
      await page.keyboard.press('Control+V');
      return (await box.textContent()) === expected;
    });
  await pasteUntil('the link was pasted', 'https://example.com/plan');
  await box.fill('');
  await message.locator('time').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy text' }).click();
  await pasteUntil('the text was pasted', 'The plan is on the wiki, have a look');
  await box.fill('');
  await message.locator('time').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Quote' }).click();
  // The quote shows as a quote (its BB-code is what is sent), headed by the author in bold.
  const quoted = page.getByRole('textbox', { name: 'Message' }).locator('blockquote');
  await until(
    'the quote is in the box',
    async () => (await quoted.count()) === 1 && (await quoted.innerText()).startsWith('Bob Lin: The plan is on'),
  );
  assert.equal(await quoted.locator('strong').first().textContent(), 'Bob Lin', 'headed by the author in bold');
  await page.getByRole('textbox', { name: 'Message' }).fill('');
  await message.locator('time').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Reply' }).click();
  await page.getByTestId('replying-to').getByText('Bob Lin').waitFor();
  await page.getByRole('button', { name: 'Cancel the reply' }).click();

  // The reader's own message adds Edit and Delete (which asks first).
  await box.fill('My own line');
  await page.keyboard.press('Enter');
  const own = messages(page).filter({ hasText: 'My own line' });
  await own.locator('time').click({ button: 'right' });
  assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), [
    'Copy text',
    'Reply',
    'Quote',
    'Forward…',
    'Edit',
    'Delete…',
  ]);
  await menu.getByRole('menuitem', { name: 'Delete…' }).click();
  await own.getByText('Delete for everyone?').waitFor();
  await own.getByRole('button', { name: 'Keep' }).click();

  // Elsewhere in the window no page menu either, and the DevTools, reload and view-source keys do nothing.
  const prevented = await page.evaluate(() => {
    const seen: Record<string, boolean> = {};
    const target = document.querySelector('[data-testid="chat-account-header"]')!;
    window.addEventListener('contextmenu', (e) => {
      seen.contextmenu = e.defaultPrevented;
    });
    target.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
    for (const [name, init] of [
      ['F12', { key: 'F12' }],
      ['Ctrl+Shift+I', { key: 'I', ctrlKey: true, shiftKey: true }],
      ['Ctrl+U', { key: 'u', ctrlKey: true }],
      ['F5', { key: 'F5' }],
    ] as const) {
      const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
      seen[name] = event.defaultPrevented;
    }
    return seen;
  });
  assert.deepEqual(prevented, { contextmenu: true, F12: true, 'Ctrl+Shift+I': true, 'Ctrl+U': true, F5: true });
  await page.keyboard.press('F12');
  await page.keyboard.press('Control+R');
  await header(page).getByText('Ann Lee').waitFor();
  assert.equal(page.url(), chatUrl);
});

test('switching the account switches the chat window', async () => {
  const page = chat.page;
  await page.keyboard.press('Control+2');
  await header(page).getByText('Dana Roe').waitFor();
  await until('Dana is the active account', () => app!.settings.get().activeAccountId === dana.id);
  const chats = page.getByRole('navigation', { name: 'Chats' });
  await chats.getByText('Eve Moss').waitFor();
  assert.equal(await chats.getByText('Bob Lin').count(), 0);
  assert.equal(
    app!.windows.windows().filter((w) => w.target.kind === 'account').length,
    0,
    'no portal window (and no browser profile) was opened for it',
  );
  // A switch made elsewhere (the tray, the accounts window) reaches the chat window too.
  await app!.router.activate(ann.id);
  await header(page).getByText('Ann Lee').waitFor();
  await chats.getByText('Bob Lin').waitFor();
});

test("clicking a notification switches the chat window to that account's dialog", async () => {
  const page = chat.page;
  const before = notifications.received.length;
  await says(eve, danaId, 'Can you check it today?');
  await notifications.waitFor((received) => received.length === before + 1);
  const shown = notifications.received.at(-1)!;
  assert.match(shown.summary, /Eve Moss/);
  await header(page).getByText('Ann Lee').waitFor();
  notifications.click(shown.id);
  await header(page).getByText('Dana Roe').waitFor();
  await messages(page).filter({ hasText: 'Can you check it today?' }).waitFor();
  // The heading is named once the account's list has loaded; until then it may show the dialog's id.
  await page.getByRole('region', { name: 'Conversation' }).getByRole('heading', { name: 'Eve Moss' }).waitFor();
  await until('reading it clears the badge', () => app!.delivery.connection(dana.id)?.unread === 0);
  assert.equal(app!.settings.get().activeAccountId, dana.id);
});

test('screenshots: the login window with its sign-in choices, and the tray menu', async () => {
  assert.ok(app);
  const login = await app.router.showOwnWindow('login');
  await login.page.getByRole('heading', { name: 'Sign in to Portaldesk' }).waitFor();
  await login.page.getByTestId('choose-network-sign-in').waitFor();
  await login.page.getByTestId('choose-qr-sign-in').waitFor();
  await login.page.screenshot({ path: join(screenshots, 'desktop-login-window.png') });
  await app.windows.closeWindow(login);

  await says(bob, annId, 'One more for the tray');
  await until('the tray counts it', () => app!.delivery.totalUnread() === 1);
  const tray = trayHost.registered().at(-1);
  assert.ok(tray);
  await until(
    'the tray title shows it',
    async () => (await trayHost.property(tray, 'Title')) === 'Portaldesk — 1 unread',
  );
  const menu = await trayHost.menu(tray);
  assert.deepEqual(
    menu.map((m) => (m.type === 'separator' ? '---' : m.label)),
    ['Ann Lee — Acme (1)', 'Dana Roe — Beta', '---', 'Show Portaldesk', 'Chats', 'Accounts…', 'Do not disturb', 'Quit'],
  );
  const icon = (await trayHost.property(tray, 'IconPixmap')) as [number, number, Buffer][];
  const picture = await chat.page.context().newPage();
  try {
    await drawTrayMenu(picture, { title: String(await trayHost.property(tray, 'Title')), icon, menu });
    await picture.screenshot({ path: join(screenshots, 'desktop-tray-menu.png') });
  } finally {
    await picture.close();
  }
  await app.windows.closeWindow(chat);
  // The browser ends with its last window; the tray is clicked once it has, as a user would.
  await until('the browser has ended', () => !descendantsOf(process.pid).some((p) => p.command.includes('chromium')));
  await trayHost.click(tray, menu.find((m) => m.label === 'Chats')!.id);
  await until('Chats in the tray opens the chat window again', () =>
    app!.windows.windows().some((w) => w.target.kind === 'own' && w.target.name === 'chat'),
  );
});

test('a signed-out account says so in the chat window; one click opens the sign-in with its address and login', async () => {
  assert.ok(app);
  await app.lifecycle.signOut(dana.id);
  await until('Dana is signed out', () => app!.delivery.connection(dana.id)?.state === 'needs-password');
  await app.router.activate(dana.id);
  const page = (await app.router.showChat()).page;
  const panel = page.getByTestId('signed-out');
  await panel.getByText('Dana Roe is signed out').waitFor();
  assert.equal(await page.getByText(/could not be loaded/).count(), 0, 'not an error, a state');
  await page.screenshot({ path: join(screenshots, 'desktop-chat-signed-out.png') });
  await panel.getByRole('button', { name: 'Sign in again' }).click();
  await until('the login window opened', () =>
    app!.windows.windows().some((w) => w.target.kind === 'own' && w.target.name === 'login'),
  );
  const login = app.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'login')!.page;
  const address = login.getByLabel('Portal address');
  await until('the address is filled in', async () => (await address.inputValue()) === `beta.localhost:${server.port}`);
  await login.getByRole('button', { name: 'Continue' }).click();
  await until('the login is filled in', async () => (await login.locator('#login').inputValue()) === 'dana');
  await login.locator('#password').fill(PASSWORD);
  await login.screenshot({ path: join(screenshots, 'desktop-login-sign-in-again.png') });
  await login.locator('#password').press('Enter');
  await until('Dana is back', () => app!.delivery.connection(dana.id)?.state === 'online');
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Eve Moss').waitFor();
});

test("photos come through the main process: a colleague's photo in the chat list and beside their messages", async () => {
  // Dana's account is the chat window's now (the test before).
  const page = (await app!.router.showChat()).page;
  const me = (await eve.rest('user.current')).body.result as { ID: string };
  const photo = ['eve.png', (await testPicture(300, 300)).toString('base64')];
  assert.equal((await eve.rest('user.update', { ID: me.ID, PERSONAL_PHOTO: photo })).body.result, true);
  // Nothing tells open windows of a new photo: the window shows it once it loads the list again.
  await page.reload();
  const row = page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Eve Moss/ });
  const rowPhoto = row.locator('img[src^="blob:"]');
  await rowPhoto.waitFor();
  assert.ok(
    await rowPhoto.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
    'the photo came through the main process (the window holds no session)',
  );
  await row.click();
  const authorPhoto = page.getByRole('log', { name: 'Messages' }).getByTestId('message-author-photo').first();
  await authorPhoto.waitFor();
  assert.match((await authorPhoto.getAttribute('src')) ?? '', /^blob:/);
  await page.screenshot({ path: join(screenshots, 'desktop-chat-window-photos.png') });

  // A notification shows its sender's photo: Bob (with a photo now) writes to Ann, whose account is not on screen.
  const bobId = ((await bob.rest('user.current')).body.result as { ID: string }).ID;
  const bobPhoto = ['bob.png', (await testPicture(200, 200)).toString('base64')];
  assert.equal((await bob.rest('user.update', { ID: bobId, PERSONAL_PHOTO: bobPhoto })).body.result, true);
  const before = notifications.received.length;
  await says(bob, annId, 'A face with this one');
  await notifications.waitFor((received) => received.length === before + 1);
  const icon = String(notifications.received.at(-1)!.hints['image-path'] ?? '');
  assert.ok(icon.startsWith(join(paths.dataDir, 'sender-photos')), icon);
  const iconBytes = readFileSync(icon);
  assert.equal(iconBytes.subarray(1, 4).toString(), 'PNG', 'a PNG every notification service shows');
});

test("the tray shows each account's photo beside its entry", async () => {
  // Eve has a photo (the test before); her account, added now, takes it from her profile.
  const added = await app!.lifecycle.addWithPassword({
    address: `beta.localhost:${server.port}`,
    login: 'eve',
    password: PASSWORD,
  });
  assert.equal(added.status, 'signed-in');
  const tray = trayHost.registered().at(-1)!;
  const evesEntry = async () => (await trayHost.menu(tray)).find((m) => m.label.startsWith('Eve Moss'));
  await until('her entry carries her photo', async () => Boolean((await evesEntry())?.iconData));
  const icon = (await evesEntry())!.iconData!;
  assert.equal(icon.subarray(1, 4).toString(), 'PNG', 'a PNG, as panels take it');
  const annsEntry = (await trayHost.menu(tray)).find((m) => m.label.startsWith('Ann Lee'));
  assert.equal(annsEntry?.iconData, undefined, 'an account without a photo has none');
});
