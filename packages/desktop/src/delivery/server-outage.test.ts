import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  createUserWithPassword,
  type RestartableTestServer,
  startRestartableTestServer,
  TestDesktop,
} from '@portaldesk/server/testing';
import type { DesktopApp } from '../app/desktop-app.ts';
import { appPaths } from '../paths/app-paths.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import {
  type RecordingNotificationService,
  startRecordingNotificationService,
} from '../testing/recording-notification-service.ts';
import { type PrivateSessionBus, startSessionBus } from '../testing/session-bus.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';
import type { AppWindow } from '../windows/window-manager.ts';

// A server outage as the issue describes it: the portal server is stopped for 30 s and started
// again with its data (the same database: a kept test database, or a kept PostgreSQL schema).
// Messages the other user wrote meanwhile are queued by their client and go out when the server
// is back; the desktop reconnects, catches up, shows each message once in the chat window and
// notifies each once, and nothing notified before the outage is notified again.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

/**
 * How long the server stays down. The issue asks for 30 s: longer than the desktop's first
 * reconnect attempts (0.1 s, 0.3 s, 1 s here) so the desktop is in its slow retry rhythm when the
 * server returns, as after a real outage. `PORTALDESK_OUTAGE_SECONDS` shortens it while working
 * on this test; CI runs the 30 s.
 */
const OUTAGE_MS = Number(process.env.PORTALDESK_OUTAGE_SECONDS ?? 30) * 1_000;
const home = mkdtempSync(join(tmpdir(), 'portaldesk-outage-'));
const PASSWORD = 'a long desktop password';

let servers: RestartableTestServer;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let app: DesktopApp | undefined;
let chat: AppWindow;
let bob: TestDesktop;
let annId: number;

before(async () => {
  requireBuiltUi('chat.html');
  servers = await startRestartableTestServer();
  const server = servers.current;
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const ann = await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ann', lastName: 'Lee', username: 'ann' },
    PASSWORD,
  );
  annId = ann.id;
  await createUserWithPassword(server, acme.id, { firstName: 'Bob', lastName: 'Lin', username: 'bob' }, PASSWORD);
  bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'bob-machine', user_account: 'bob' });
  assert.equal((await bob.signIn('bob', PASSWORD)).status, 200);
  [display, bus] = await Promise.all([startXvfb(), startSessionBus()]);
  notifications = await startRecordingNotificationService(bus.address);
});

after(async () => {
  await app?.quit();
  await notifications?.stop();
  await Promise.all([display?.stop(), bus?.stop()]);
  await servers?.close();
  rmSync(home, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Bob's client: what it could not send while the server was down, it sends once it is back. */
async function bobSays(text: string): Promise<void> {
  for (;;) {
    try {
      const sent = await bob.rest('im.message.add', { DIALOG_ID: annId, MESSAGE: text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      return;
    } catch (error) {
      // `fetch failed`: refused, or a kept-alive connection the stopping server closed.
      if (!(error instanceof TypeError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function bodies(): string[] {
  return notifications.received.map((n) => n.body);
}

test('connected with the chat window open, a message arrives and is notified', async () => {
  app = await startDesktopUnderTest(display, {
    paths: appPaths({ PORTALDESK_HOME: home }),
    notificationBus: bus.address,
    reconnectBackoffMs: [100, 300, 1_000],
  });
  const added = await app.lifecycle.addWithPassword({
    address: `acme.localhost:${servers.port}`,
    login: 'ann',
    password: PASSWORD,
  });
  assert.equal(added.status, 'signed-in');
  await until('online', () => app!.delivery.statuses()[0]?.state === 'online');
  chat = await app.router.showChat();
  await chat.page.getByTestId('chat-account-header').getByText('Ann Lee').waitFor();
  await bobSays('Before the outage');
  await notifications.waitFor((received) => received.length === 1);
  await chat.page.getByRole('navigation', { name: 'Chats' }).getByText('Before the outage').waitFor();
});

test('after the server is down for a while and back, what was sent meanwhile arrives once', async () => {
  assert.ok(app);
  await servers.stop();
  await until('the desktop notices', () => app!.delivery.statuses()[0]?.state === 'offline');
  const queued = Promise.all([
    new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)).then(async () => {
      await servers.start();
    }),
    // Bob writes during the outage; his client sends in order once the server answers again.
    (async () => {
      await bobSays('Written during the outage');
      await bobSays('And a second one');
    })(),
  ]);
  await queued;
  await notifications.waitFor((received) => received.length === 3, 30_000);
  await until('online again', () => app!.delivery.statuses()[0]?.state === 'online', 30_000);
  await until('the count caught up', () => app!.delivery.connection(app!.settings.get().accounts[0]!.id)?.unread === 3);
  // Give a repeated delivery time to show itself before counting.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.deepEqual(bodies(), ['Before the outage', 'Written during the outage', 'And a second one']);

  const page = chat.page;
  await page.getByRole('navigation', { name: 'Chats' }).getByText('Bob Lin').click();
  const log = page.getByRole('log', { name: 'Messages' }).locator('li');
  await log.filter({ hasText: 'And a second one' }).waitFor();
  assert.deepEqual(
    (await log.locator('p:nth-child(2)').allTextContents()).map((text) => text.trim()),
    ['Before the outage', 'Written during the outage', 'And a second one'],
    'each message once, in order',
  );
  await page.screenshot({ path: join(screenshots, 'desktop-chat-after-outage.png') });
});
