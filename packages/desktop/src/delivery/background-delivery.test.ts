import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createUserWithPassword, startTestServer, TestDesktop, type TestServer } from '@portaldesk/server/testing';
import type { DesktopApp } from '../app/desktop-app.ts';
import type { AccountSettings } from '../config/settings.ts';
import { autostartPath, type XdgLocations } from '../os-integration/xdg-desktop-files.ts';
import { appPaths } from '../paths/app-paths.ts';
import { desktopLookup } from '../portal/desktop-http-client.ts';
import { type DesktopSession, startDesktopSession } from '../testing/desktop-session.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import type { RecordingNotificationService } from '../testing/recording-notification-service.ts';
import type { RecordingTrayHost } from '../testing/recording-tray-host.ts';
import type { PrivateSessionBus } from '../testing/session-bus.ts';
import { startTcpRelay, type TcpRelay } from '../testing/tcp-relay.ts';
import { until } from '../testing/until.ts';
import type { VirtualDisplay } from '../testing/xvfb.ts';

// Several accounts in the background against a real portal server: realtime delivery,
// notifications seen at the OS boundary (a recording org.freedesktop.Notifications on a private
// session bus), a network loss, a restart. The desktop reaches the portals through a TCP relay on
// 127.0.0.2 (same port as the server), which the test cuts to play a lost network. No keyring
// service is reachable (the bus address points nowhere), so the encrypted-file vault is used.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-delivery-'));
const paths = appPaths({ PORTALDESK_HOME: home });
const xdg: XdgLocations = {
  dataHome: join(home, 'xdg-data'),
  configHome: join(home, 'xdg-config'),
  command: ['/usr/bin/portaldesk'],
};
const PASSWORD = 'a long desktop password';

let server: TestServer;
let session: DesktopSession | undefined;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let relay: TcpRelay;
let app: DesktopApp | undefined;
let eve: TestDesktop;
let danaId: number;
let eveId: number;
/** Account 1: ann on acme; 2: dana on beta; 3: carl on acme. */
const accounts: AccountSettings[] = [];

before(async () => {
  requireBuiltUi('login.html');
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const beta = await server.context.portals.create({ domain: 'beta.localhost', name: 'Beta' });
  await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD);
  await createUserWithPassword(server, acme.id, { firstName: 'Carl', lastName: 'Ito', username: 'carl' }, PASSWORD);
  const dana = await createUserWithPassword(
    server,
    beta.id,
    { firstName: 'Dana', lastName: 'Roe', username: 'dana' },
    PASSWORD,
  );
  danaId = dana.id;
  const eveUser = { firstName: 'Eve', lastName: 'Moss', username: 'eve' };
  eveId = (await createUserWithPassword(server, beta.id, eveUser, PASSWORD)).id;
  eve = new TestDesktop(server, 'beta.localhost', { user_os_mark: 'eve-machine', user_account: 'eve' });
  assert.equal((await eve.signIn('eve', PASSWORD)).status, 200);
  relay = await startTcpRelay({ listenHost: '127.0.0.2', targetHost: '127.0.0.1', port: server.port });
  session = await startDesktopSession();
  ({ display, bus, notifications, trayHost } = session);
});

after(async () => {
  await app?.quit();
  await Promise.all([session?.stop(), relay?.close()]);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function startApp(): Promise<DesktopApp> {
  return startDesktopUnderTest(display, {
    paths,
    notificationBus: bus.address,
    resolver: desktopLookup(undefined, '127.0.0.2'),
    reconnectBackoffMs: [100, 300, 1_000],
    xdg,
  });
}

function allOnline(desktop: DesktopApp): boolean {
  const statuses = desktop.delivery.statuses();
  return statuses.length === accounts.length && statuses.every((s) => s.state === 'online');
}

function unreadOf(desktop: DesktopApp, accountId: string): number {
  return desktop.delivery.connection(accountId)?.unread ?? -1;
}

async function eveSays(text: string): Promise<void> {
  const sent = await eve.rest('im.message.add', { DIALOG_ID: danaId, MESSAGE: text });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
}

function bodies(): string[] {
  return notifications.received.map((n) => n.body);
}

test('three accounts on two portals connect in the background; one is active', async () => {
  app = await startApp();
  const port = server.port;
  for (const [address, login] of [
    [`acme.localhost:${port}`, 'ann'],
    [`beta.localhost:${port}`, 'dana'],
    [`acme.localhost:${port}`, 'carl'],
  ] as const) {
    const added = await app.lifecycle.addWithPassword({ address, login, password: PASSWORD });
    assert.equal(added.status, 'signed-in');
    if (added.status === 'signed-in') accounts.push(added.account);
  }
  assert.deepEqual(
    app.settings.get().accounts.map((a) => `${a.user.login} @ ${new URL(a.portal.origin).hostname}`),
    ['ann @ acme.localhost', 'dana @ beta.localhost', 'carl @ acme.localhost'],
  );
  assert.deepEqual(
    app.settings.get().accounts.map((a) => a.user.displayName),
    ['Ann Lee', 'Dana Roe', 'Carl Ito'],
    'names from user.current',
  );
  await until('every account is online', () => allOnline(app!));
  const first = await app.router.switchTo(accounts[0]!.id);
  assert.equal(app.settings.get().activeAccountId, accounts[0]!.id);
  assert.equal(new URL(first.page.url()).hostname, 'acme.localhost');
  await first.page.waitForFunction(() => document.title.includes(' — Ann Lee · Acme'));
  assert.match(await first.page.title(), /^.+ — Ann Lee · Acme$/, 'the window says whose account and portal it is');
});

test('a message to a background account shows one notification per dialog and raises its count', async () => {
  assert.ok(app);
  const [, dana] = accounts;
  assert.ok(dana);
  await eveSays('Are you coming to the review?');
  await notifications.waitFor((r) => r.length === 1);
  const [shown] = notifications.received;
  assert.ok(shown);
  assert.equal(shown.body, 'Are you coming to the review?');
  assert.match(shown.summary, /Eve Moss/);
  assert.match(shown.summary, / · Beta \(Dana Roe\)$/, "titled with the account it came to, by the portal's name");
  assert.deepEqual(shown.actions.slice(0, 1), ['default']);
  await until('the unread count rises', () => unreadOf(app!, dana.id) === 1);
  assert.equal(unreadOf(app, accounts[0]!.id), 0);
  assert.equal(app.delivery.totalUnread(), 1);

  await eveSays('It starts at <b>3</b>');
  await notifications.waitFor((r) => r.length === 2);
  const second = notifications.received[1]!;
  assert.equal(second.replacesId, shown.id, 'the dialog keeps one notification, updated');
  assert.equal(second.body, 'It starts at &lt;b&gt;3&lt;/b&gt;', 'message text is not markup');
  await until('the count is 2', () => app!.delivery.totalUnread() === 2);
  assert.equal(app.accountSummaries().find((a) => a.id === dana.id)?.unread, 2, 'the account list shows the count');
  const tray = trayHost.registered().at(-1);
  assert.ok(tray, 'the tray icon is up');
  assert.equal(await trayHost.property(tray, 'Title'), 'Portaldesk — 2 unread');
  const menu = (await trayHost.menu(tray)).map((m) => m.label);
  assert.match(menu[1] ?? '', /^Dana Roe — Beta \(2\)$/, 'the tray menu lists the account with its count');
  assert.match(menu[0] ?? '', /^Ann Lee — Acme$/);
});

test('the accounts window lists each account with its portal, user and unread count', async () => {
  assert.ok(app);
  const window = await app.router.showOwnWindow('accounts');
  const page = window.page;
  await page.getByTestId('account-3').waitFor();
  const rows = await page.getByTestId('accounts').locator('li').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[0] ?? '', /Ann Lee[\s\S]*Acme[\s\S]*Ctrl\+1/);
  assert.match(rows[1] ?? '', /Dana Roe[\s\S]*Beta[\s\S]*Ctrl\+2/);
  assert.equal(await page.getByTestId('account-2').getByTestId('unread').textContent(), '2');
  assert.equal(await page.getByTestId('account-1').getByTestId('unread').count(), 0);
  await page.screenshot({ path: join(screenshots, 'desktop-accounts-window.png') });
  await page.getByTestId('account-2').getByRole('button', { name: 'Mute' }).click();
  await until('muted from the window', () => app!.settings.get().accounts[1]?.muted === true);
  await page.getByTestId('account-2').getByRole('button', { name: 'Unmute' }).click();
  await until('unmuted from the window', () => app!.settings.get().accounts[1]?.muted === false);
  assert.equal(existsSync(autostartPath(xdg)), false, 'start on login is off by default');
  await page.getByTestId('start-on-login').check();
  await until('the autostart entry is written', () => existsSync(autostartPath(xdg)));
  await page.getByTestId('start-on-login').uncheck();
  await until('the autostart entry is removed', () => !existsSync(autostartPath(xdg)));
  assert.match(
    readFileSync(join(xdg.dataHome, 'applications', 'portaldesk.desktop'), 'utf8'),
    /MimeType=x-scheme-handler\/portaldesk;/,
    'portaldesk:// links are registered at start',
  );
  await app.windows.closeWindow(window);
});

test('clicking the notification brings that account forward with the dialog in the chat window', async () => {
  assert.ok(app);
  const dana = accounts[1]!;
  notifications.click(notifications.received.at(-1)!.id);
  await until('account 2 is active', () => app!.settings.get().activeAccountId === dana.id);
  await until('the chat window is open', () =>
    app!.windows.windows().some((w) => w.target.kind === 'own' && w.target.name === 'chat'),
  );
  const window = app.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'chat')!;
  await window.page.getByTestId('chat-account-header').getByText('Dana Roe').waitFor();
  const conversation = window.page.getByRole('region', { name: 'Conversation' });
  await conversation.getByText('Are you coming to the review?').waitFor();
  assert.equal(
    await conversation.getByRole('heading').textContent(),
    'Eve Moss',
    "the dialog with the message's author",
  );
  assert.equal(new URL(window.page.url()).searchParams.get('dialog'), String(eveId));
  // Read in the window, the messages leave the badge: the background connection hears the read.
  await until('reading the dialog clears its count', () => unreadOf(app!, dana.id) === 0);
  const tray = trayHost.registered().at(-1)!;
  await until('the tray count clears', () => app!.delivery.totalUnread() === 0);
  assert.equal(await trayHost.property(tray, 'Title'), 'Portaldesk');
  await window.page.screenshot({ path: join(screenshots, 'desktop-notification-opened-dialog.png') });
});

test('Ctrl+1…9 switch accounts in the order the user arranged', async () => {
  assert.ok(app);
  const [ann, dana, carl] = accounts as [AccountSettings, AccountSettings, AccountSettings];
  await app.lifecycle.reorder([carl.id, ann.id, dana.id]);
  assert.deepEqual(
    app.settings.get().accounts.map((a) => a.id),
    [carl.id, ann.id, dana.id],
  );
  await assert.rejects(app.lifecycle.reorder([carl.id, ann.id]), /every account once/);
  const annWindow = app.windows.windows().find((w) => w.target.kind === 'account' && w.target.accountId === ann.id)!;
  await annWindow.page.keyboard.press('Control+3');
  await until('Ctrl+3 made the third account active', () => app!.settings.get().activeAccountId === dana.id);
  await until("and brought its portal's window up", () =>
    app!.windows
      .windows()
      .some(
        (w) =>
          w.target.kind === 'account' && w.target.accountId === dana.id && w.page.url().startsWith(dana.portal.origin),
      ),
  );
});

test('after a network loss the messages sent meanwhile arrive once and nothing is notified twice', async () => {
  assert.ok(app);
  const dana = accounts[1]!;
  // No window is open from here on, so nothing reads what arrives.
  for (const window of app.windows.windows()) await app.windows.closeWindow(window);
  await relay.cut();
  await until('the accounts notice the loss', () => app!.delivery.statuses().every((s) => s.state !== 'online'));
  await eveSays('Sent while you were offline');
  await eveSays('And one more');
  await relay.restore();
  await notifications.waitFor((r) => r.length === 4);
  await until('every account is back', () => allOnline(app!));
  await until('the count caught up', () => unreadOf(app!, dana.id) === 2);
  // Give a repeated delivery time to show itself before counting.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.deepEqual(bodies(), [
    'Are you coming to the review?',
    'It starts at &lt;b&gt;3&lt;/b&gt;',
    'Sent while you were offline',
    'And one more',
  ]);
});

test('a restart reconnects every account without asking anything', async () => {
  await app?.quit();
  app = await startApp();
  await until('every account is online again', () => allOnline(app!));
  const first = await app.router.showFirstWindow();
  assert.equal(first.target.kind, 'account', 'the active account opens, no login window');
  assert.equal(app.settings.get().activeAccountId, accounts[1]!.id);
  await until('counts are restored', () => unreadOf(app!, accounts[1]!.id) === 2);
  assert.equal(
    app.windows.windows().some((w) => w.target.kind === 'own'),
    false,
  );
  const before = notifications.received.length;
  await eveSays('Welcome back');
  await notifications.waitFor((r) => r.length === before + 1);
  assert.equal(notifications.received.at(-1)!.body, 'Welcome back');
});

test('a portaldesk:// link opens the account and dialog, or offers to add the portal', async () => {
  assert.ok(app);
  // Two accounts are on acme and neither is active: the first in the user's order (Carl) opens,
  // with the dialog in the chat window.
  const carl = accounts[2]!;
  const acme = await server.context.portals.findByDomain('acme.localhost');
  const ann = await server.context.users.findByLogin(acme!.id, { kind: 'username', value: 'ann' });
  await app.router.onSecondLaunch({
    type: 'second-launch',
    argv: [`portaldesk://acme.localhost:${server.port}/dialog/${ann!.id}`],
    cwd: '/',
  });
  assert.equal(app.settings.get().activeAccountId, carl.id);
  const chat = app.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'chat')!;
  await chat.page.getByTestId('chat-account-header').getByText('Carl Ito').waitFor();
  const conversation = chat.page.getByRole('region', { name: 'Conversation' });
  // Carl has never written to Ann: the dialog still carries her name, not her user id.
  await conversation.getByRole('heading', { name: 'Ann Lee' }).waitFor();
  await chat.page.screenshot({ path: join(screenshots, 'desktop-link-opened-dialog.png') });
  await app.windows.closeWindow(chat);

  await app.router.onSecondLaunch({ type: 'second-launch', argv: ['portaldesk://gamma.localhost/dialog/3'], cwd: '/' });
  const login = app.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'login');
  assert.ok(login, 'an unknown portal opens the login window');
  await login.page.locator('input[name=address]').waitFor();
  assert.equal(await login.page.locator('input[name=address]').inputValue(), 'gamma.localhost');
  await login.page.screenshot({ path: join(screenshots, 'desktop-link-unknown-portal.png') });
  await app.windows.closeWindow(login);
});

test('muted accounts and do-not-disturb count but do not notify', async () => {
  assert.ok(app);
  const dana = accounts[1]!;
  const before = notifications.received.length;
  await app.lifecycle.setMuted(dana.id, true);
  await eveSays('Muted one');
  await until('counted while muted', () => unreadOf(app!, dana.id) === 4);
  await app.lifecycle.setMuted(dana.id, false);
  await app.settings.update((s) => ({ ...s, doNotDisturb: true }));
  await eveSays('Quiet please');
  await until('counted under do-not-disturb', () => unreadOf(app!, dana.id) === 5);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(notifications.received.length, before);
  await app.settings.update((s) => ({ ...s, doNotDisturb: false }));
});

test('removing an account removes its secrets and connection; signing out keeps it listed', async () => {
  assert.ok(app);
  const [ann, , carl] = accounts as [AccountSettings, AccountSettings, AccountSettings];
  assert.ok(await app.vault.get(carl.id, 'app-password'));
  await app.lifecycle.remove(carl.id);
  assert.equal(await app.vault.get(carl.id, 'app-password'), null);
  assert.equal(await app.vault.get(carl.id, 'device-token'), null);
  assert.equal(app.delivery.connection(carl.id), undefined);
  assert.deepEqual(
    app.settings
      .get()
      .accounts.map((a) => a.id)
      .sort(),
    [ann.id, accounts[1]!.id].sort(),
  );

  await app.lifecycle.signOut(ann.id);
  assert.equal(await app.vault.get(ann.id, 'app-password'), null);
  await until('the signed-out account asks for its password', () =>
    app!.accountSummaries().some((a) => a.id === ann.id && a.connection === 'needs-password'),
  );
  // The accounts window shows the state and one button to sign in again, address and login filled in.
  const accountsWindow = await app.router.showOwnWindow('accounts');
  const row = accountsWindow.page.getByTestId('account-1');
  await row.getByText('Signed out').waitFor();
  assert.equal(await row.getByRole('button', { name: 'Sign out' }).count(), 0);
  await accountsWindow.page.screenshot({ path: join(screenshots, 'desktop-accounts-signed-out.png') });
  await row.getByRole('button', { name: 'Sign in again' }).click();
  await until('the login window opened', () =>
    app!.windows.windows().some((w) => w.target.kind === 'own' && w.target.name === 'login'),
  );
  const login = app.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'login')!.page;
  await login.waitForFunction(
    (expected) => (document.querySelector('#address') as HTMLInputElement | null)?.value === expected,
    `acme.localhost:${server.port}`,
  );
  await login.getByRole('button', { name: 'Continue' }).click();
  await login.waitForFunction(() => (document.querySelector('#login') as HTMLInputElement | null)?.value === 'ann');
});
