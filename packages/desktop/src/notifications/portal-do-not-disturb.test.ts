import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PullConfig } from '@portaldesk/protocol';
import {
  createUserWithPassword,
  PullTestClient,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import type { DesktopApp } from '../app/desktop-app.ts';
import type { AccountSettings } from '../config/settings.ts';
import { startIdleReporting } from '../delivery/idle-reporter.ts';
import { appPaths } from '../paths/app-paths.ts';
import { type DesktopSession, startDesktopSession } from '../testing/desktop-session.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import { startIdleScreenSaver } from '../testing/idle-screen-saver.ts';
import type { RecordingNotificationService } from '../testing/recording-notification-service.ts';
import type { RecordingTrayHost } from '../testing/recording-tray-host.ts';
import type { PrivateSessionBus } from '../testing/session-bus.ts';
import { drawTrayMenu } from '../testing/tray-menu-picture.ts';
import { until } from '../testing/until.ts';
import type { VirtualDisplay } from '../testing/xvfb.ts';
import { trayIconPixmap } from '../tray/tray-icon.ts';

// "Do not disturb" chosen on the portal silences that account's desktop notifications (its
// counts go on) and the tray says so; chosen in the chat window's own menu or on another device.
// A real portal server, the desktop under Xvfb, and a recording notification service and tray
// host on a private session bus.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-dnd-'));
const paths = appPaths({ PORTALDESK_HOME: home });
const PASSWORD = 'a long desktop password';

let server: TestServer;
let session: DesktopSession | undefined;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let app: DesktopApp | undefined;
let ann: AccountSettings;
let annId: number;
/** Bob writes to Ann; Ann also uses the portal on her phone (`annElsewhere`). */
let bob: TestDesktop;
let annElsewhere: TestDesktop;
let bobSocket: PullTestClient | undefined;

before(async () => {
  requireBuiltUi('chat.html');
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  annId = (
    await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD)
  ).id;
  await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Lin', username: 'bob' }, PASSWORD);
  bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'bob-machine', user_account: 'bob' });
  assert.equal((await bob.signIn('bob', PASSWORD)).status, 200);
  annElsewhere = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'ann-phone', user_account: 'ann' });
  assert.equal((await annElsewhere.signIn('ann', PASSWORD)).status, 200);
  await bobSays('Hello Ann');
  session = await startDesktopSession();
  ({ display, bus, notifications, trayHost } = session);
});

after(async () => {
  await bobSocket?.close();
  await app?.quit();
  await session?.stop();
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

async function bobSays(text: string): Promise<void> {
  const sent = await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: text });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
}

async function trayMenu(): Promise<string[]> {
  const tray = trayHost.registered().at(-1);
  assert.ok(tray, 'the tray icon is up');
  return (await trayHost.menu(tray)).map((m) => m.label);
}

async function annsTrayEntry(): Promise<string> {
  return (await trayMenu()).find((label) => label.startsWith('Ann Lee')) ?? '';
}

function unread(): number {
  return app?.delivery.connection(ann.id)?.unread ?? -1;
}

/** Bob's dot in Ann's chat list: `online`, `away`, `dnd`, or null when there is none (offline). */
function bobsDot(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const row = [...document.querySelectorAll('nav[aria-label=Chats] li button')].find((b) =>
      b.textContent?.includes('Bob Lin'),
    );
    return row?.querySelector('[data-testid=presence-dot]')?.getAttribute('data-presence') ?? null;
  });
}

test('Do not disturb set in the chat window silences the account; counts go on; the tray says so', async () => {
  app = await startDesktopUnderTest(display, { paths, notificationBus: bus.address });
  const added = await app.lifecycle.addWithPassword({
    address: `acme.localhost:${server.port}`,
    login: 'ann',
    password: PASSWORD,
  });
  assert.equal(added.status, 'signed-in');
  [ann] = app.settings.get().accounts as [AccountSettings];
  await until('online', () => app!.delivery.statuses().every((s) => s.state === 'online'));

  await bobSays('Are you there?');
  await notifications.waitFor((r) => r.some((n) => n.body === 'Are you there?'));
  await until('the tray counts both', async () => (await annsTrayEntry()) === 'Ann Lee — Acme (2)');

  // Bob comes online: his dot turns green in Ann's chat window, live.
  const chat = await app.router.showChat();
  const page = chat.page;
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Bob Lin').waitFor();
  assert.equal(await bobsDot(page), null, 'Bob is offline');
  const config = (await bob.rest('pull.config.get', { CACHE: 'N' })).body.result as PullConfig;
  const channels = `${config.channels.private.id}/${config.channels.shared.id}`;
  bobSocket = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${encodeURIComponent(channels)}`);
  await until('Bob shows online', async () => (await bobsDot(page)) === 'online');

  // Ann chooses "Do not disturb" on her own avatar in the chat window.
  await page.getByTestId('own-status').click();
  await page.getByRole('menu', { name: 'Your status' }).getByRole('menuitemradio', { name: 'Do not disturb' }).click();
  await until('the tray says Do not disturb', async () => (await annsTrayEntry()).endsWith(' — Do not disturb'));
  assert.equal((await annElsewhere.rest('im.user.status.get')).body.result, 'dnd', 'kept on the portal');
  await page.screenshot({ path: join(screenshots, 'desktop-status-dnd-chat-window.png') });

  const shown = notifications.received.length;
  await bobSays('Quick question');
  await until('counted while in do not disturb', () => unread() === 3);
  await bobSays('Another one');
  await until('still counted', () => unread() === 4);
  // The two messages have arrived and been counted; a notification would have been asked for by now.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(notifications.received.length, shown, 'no notification in do not disturb');
  await until(
    'the tray counts on and says Do not disturb',
    async () => (await annsTrayEntry()) === 'Ann Lee — Acme (4) — Do not disturb',
  );

  const tray = trayHost.registered().at(-1) as string;
  const icon = (await trayHost.property(tray, 'IconPixmap')) as [number, number, Buffer][];
  const icon32 = icon.find(([width]) => width === 32);
  assert.deepEqual(
    icon32?.[2],
    trayIconPixmap(4, 32, true).argb,
    "the icon wears the do-not-disturb mark: every account's is on",
  );
  assert.notDeepEqual(trayIconPixmap(4, 32, true).argb, trayIconPixmap(4, 32).argb);
  const picture = await page.context().newPage();
  try {
    await drawTrayMenu(picture, {
      title: String(await trayHost.property(tray, 'Title')),
      icon,
      menu: await trayHost.menu(tray),
    });
    await picture.screenshot({ path: join(screenshots, 'desktop-status-dnd-tray-menu.png') });
  } finally {
    await picture.close();
  }
});

test('Online again on another device: notifications come back without a restart', async () => {
  assert.ok(app);
  assert.equal((await annElsewhere.rest('im.user.status.set', { STATUS: 'online' })).status, 200);
  await until(
    'the tray no longer says Do not disturb',
    async () => !(await annsTrayEntry()).includes('Do not disturb'),
  );
  await bobSays('Back to normal');
  await notifications.waitFor((r) => r.some((n) => n.body === 'Back to normal'));
});

test('an account that is already in Do not disturb when it connects stays silent', async () => {
  assert.ok(app);
  assert.equal((await annElsewhere.rest('im.user.status.set', { STATUS: 'dnd' })).status, 200);
  await until('the tray says Do not disturb', async () => (await annsTrayEntry()).endsWith(' — Do not disturb'));
  // A restart of the app: the status is read from the portal when the account connects.
  await app.quit();
  app = await startDesktopUnderTest(display, { paths, notificationBus: bus.address });
  await until('online again', () => app!.delivery.statuses().every((s) => s.state === 'online'));
  await until('the tray says Do not disturb', async () => (await annsTrayEntry()).endsWith(' — Do not disturb'));
  const shown = notifications.received.length;
  const before = unread();
  await bobSays('While you were away');
  await until('counted', () => unread() === before + 1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(notifications.received.length, shown);
});

test('idle at the computer: the account goes "away" on its portal, and back when the person returns', async () => {
  assert.ok(app);
  assert.equal((await annElsewhere.rest('im.user.status.set', { STATUS: 'online' })).status, 200);
  const screenSaver = await startIdleScreenSaver(bus.address);
  const reporting = await startIdleReporting(app.delivery, bus.address, undefined, {
    thresholdMs: 60_000,
    pollMs: 100,
  });
  assert.ok(reporting, 'the session tells the idle time');
  const idleOfAnn = async () => {
    const { body } = await bob.rest('im.user.get', { ID: annId });
    return (body.result as { idle: string | false }).idle;
  };
  try {
    assert.equal(await idleOfAnn(), false);
    screenSaver.setIdleMs(15 * 60_000);
    await until('Ann is away on the portal', async () => Boolean(await idleOfAnn()));
    const minutesAgo = (Date.now() - Date.parse(String(await idleOfAnn()))) / 60_000;
    assert.ok(minutesAgo > 14 && minutesAgo < 16.5, `away since the last input, ${minutesAgo} minutes ago`);
    screenSaver.setIdleMs(2_000);
    await until('Ann is back', async () => (await idleOfAnn()) === false);
  } finally {
    reporting?.stop();
    await screenSaver.stop();
  }
});
