import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  addTestNotification,
  createUserWithPassword,
  type Portal,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import type { DesktopApp } from '../app/desktop-app.ts';
import type { AccountSettings } from '../config/settings.ts';
import { appPaths } from '../paths/app-paths.ts';
import { desktopLookup } from '../portal/desktop-http-client.ts';
import { type DesktopSession, startDesktopSession } from '../testing/desktop-session.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import type { RecordingNotificationService } from '../testing/recording-notification-service.ts';
import type { RecordingTrayHost } from '../testing/recording-tray-host.ts';
import type { PrivateSessionBus } from '../testing/session-bus.ts';
import { until } from '../testing/until.ts';
import type { VirtualDisplay } from '../testing/xvfb.ts';

// Portal notifications on the desktop, seen where a person sees them: the OS notification (a
// recording org.freedesktop.Notifications), the tray, the chat window. Also the portal's own name
// in place of its host, and each account's sound and preview preferences.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-portal-notifications-'));
const paths = appPaths({ PORTALDESK_HOME: home });
const PASSWORD = 'a long desktop password';

let server: TestServer;
let session: DesktopSession | undefined;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let app: DesktopApp | undefined;
let acme: Portal;
let annId: number;
let bobId: number;
let bob: TestDesktop;
let ann: AccountSettings;

before(async () => {
  requireBuiltUi('chat.html');
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme Corporation' });
  annId = (
    await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD)
  ).id;
  bobId = (
    await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Ray', username: 'bob' }, PASSWORD)
  ).id;
  bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'bob-machine', user_account: 'bob' });
  assert.equal((await bob.signIn('bob', PASSWORD)).status, 200);
  session = await startDesktopSession();
  ({ display, bus, notifications, trayHost } = session);
});

after(async () => {
  await app?.quit();
  await session?.stop();
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function notifyAnn(text: string) {
  return addTestNotification(server, { portalId: acme.id, userId: annId, from: bobId, text });
}

const chatWindow = () => app?.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'chat');

test("the account is named by the portal's name, in the account, the tray and the window title", async () => {
  app = await startDesktopUnderTest(display, {
    paths,
    notificationBus: bus.address,
    resolver: desktopLookup(undefined, '127.0.0.1'),
  });
  const added = await app.lifecycle.addWithPassword({
    address: `acme.localhost:${server.port}`,
    login: 'ann',
    password: PASSWORD,
  });
  assert.equal(added.status, 'signed-in');
  if (added.status !== 'signed-in') return;
  ann = added.account;
  assert.equal(ann.portal.title, 'Acme Corporation', 'not acme.localhost:<port>');
  await until('online', () => app!.delivery.connection(ann.id)?.state === 'online');
  const window = await app.router.switchTo(ann.id);
  await window.page.waitForFunction(() => document.title.endsWith(' — Ann Lee · Acme Corporation'));
  const tray = trayHost.registered().at(-1);
  assert.ok(tray);
  assert.equal((await trayHost.menu(tray))[0]?.label, 'Ann Lee — Acme Corporation');
  await app.windows.closeWindow(window);
});

test('a portal notification notifies on the desktop, counts in the tray, and a click opens the list', async () => {
  assert.ok(app);
  await notifyAnn('Please review [b]the budget[/b]');
  await notifications.waitFor((r) => r.length === 1);
  const [shown] = notifications.received;
  assert.ok(shown);
  assert.equal(shown.summary, 'Bob Ray · Acme Corporation (Ann Lee)');
  assert.equal(shown.body, 'Please review the budget', 'plain text, no BB-code');
  assert.equal(shown.hints['sound-name'], 'message-new-instant', 'with the desktop message sound');
  await until('the account counts it', () => app!.delivery.connection(ann.id)?.unread === 1);
  const tray = trayHost.registered().at(-1)!;
  await until('the tray counts it', async () => (await trayHost.property(tray, 'Title')) === 'Portaldesk — 1 unread');

  // A second one replaces the first on screen: one notification per account, never a stack.
  await notifyAnn('And the roadmap');
  await notifications.waitFor((r) => r.length === 2);
  assert.equal(notifications.received[1]?.replacesId, shown.id);
  await until('two counted', () => app!.delivery.connection(ann.id)?.unread === 2);

  notifications.click(shown.id);
  await until('the chat window is open', () => chatWindow() !== undefined);
  const page = chatWindow()!.page;
  const list = page.getByRole('list', { name: 'Notifications' });
  await list.getByText('Please review the budget').waitFor();
  await list.getByText('And the roadmap').waitFor();
  await page.getByTestId('notifications-count').filter({ hasText: '2' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'desktop-chat-notifications.png') });

  // Reading them clears every count: the window's badge, the account, the tray.
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await page.getByTestId('notifications-count').waitFor({ state: 'detached' });
  await until('the account count clears', () => app!.delivery.connection(ann.id)?.unread === 0);
  await until('the tray clears', async () => (await trayHost.property(tray, 'Title')) === 'Portaldesk');
  await until('the notification is withdrawn', () => notifications.closed.includes(shown.id));
});

test("each account's sound and message preview, set in the accounts window", async () => {
  assert.ok(app);
  const window = await app.router.showOwnWindow('accounts');
  const row = window.page.getByTestId('account-1');
  await row.getByTestId('preview').uncheck();
  await until('preview off', () => app!.settings.get().accounts[0]?.notifications.preview === false);
  await row.getByTestId('sound').uncheck();
  await until('sound off', () => app!.settings.get().accounts[0]?.notifications.sound === false);
  await window.page.screenshot({ path: join(screenshots, 'desktop-accounts-notification-settings.png') });
  await app.windows.closeWindow(window);
  const chat = chatWindow();
  if (chat) await app.windows.closeWindow(chat);

  const before = notifications.received.length;
  const sent = await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: 'The salary figures are attached' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  await notifications.waitFor((r) => r.length === before + 1);
  const quiet = notifications.received.at(-1)!;
  assert.equal(quiet.summary, 'Bob Ray · Acme Corporation (Ann Lee)');
  assert.equal(quiet.body, 'New message', 'no text on screen');
  assert.equal(quiet.hints['suppress-sound'], true, 'and no sound');
  assert.equal(quiet.hints['sound-name'], undefined);
});

test('a group chat muted from its menu in the chat window counts but never notifies', async () => {
  assert.ok(app);
  await app.lifecycle.setNotificationPreferences(ann.id, { preview: true, sound: true });
  const created = await bob.rest('im.chat.add', { USERS: [annId], TITLE: 'Budget' });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const chatId = created.body.result as number;
  let before = notifications.received.length;
  await bob.rest('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Kickoff' });
  await notifications.waitFor((r) => r.length === before + 1);

  const window = await app.router.showChat();
  const budget = window.page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('listitem')
    .filter({ hasText: 'Budget' });
  await budget.getByRole('button').first().click({ button: 'right' });
  await window.page.getByRole('menuitem', { name: 'Mute' }).click();
  await budget.getByRole('img', { name: 'Muted' }).waitFor();
  await window.page.screenshot({ path: join(screenshots, 'desktop-chat-muted-chat.png') });
  await app.windows.closeWindow(window);

  const messagesBefore = app.delivery.connection(ann.id)!.messages;
  before = notifications.received.length;
  await bob.rest('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Muted news' });
  await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: 'Direct line' });
  await notifications.waitFor((r) => r.length === before + 1);
  await until('both counted', () => app!.delivery.connection(ann.id)!.messages === messagesBefore + 2);
  assert.deepEqual(
    notifications.received.slice(before).map((n) => n.body),
    ['Direct line'],
    'the muted chat raised none',
  );
});
