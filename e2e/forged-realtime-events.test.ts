import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { appPaths, type DesktopApp } from '@portaldesk/desktop';
import {
  type PrivateSessionBus,
  type RecordingNotificationService,
  requireBuiltUi,
  startDesktopUnderTest,
  startRecordingNotificationService,
  startSessionBus,
  startXvfb,
  type VirtualDisplay,
} from '@portaldesk/desktop/testing';
import type { PullConfig } from '@portaldesk/protocol';
import {
  callRest,
  createUserWithPassword,
  createWebhookUrl,
  PullTestClient,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import {
  DESKTOP_VIEWPORT,
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
  signInWithForm,
} from '@portaldesk/ui/testing';
import type { Browser, Page } from 'playwright-core';

// Issue 13: Dan, an ordinary user, publishes over his own realtime socket an `im` `message` that
// claims to come from Alice and an `im` `notifyAdd`, both to Carol. Carol's web page, her phone
// page and her desktop (background connection, notifications, chat window) must show neither;
// a real message Dan sends right after shows everywhere, so the pipe is proven open. On
// PostgreSQL + Redis, Dan's socket is on one server process and Carol's on another, so the
// forgeries cross the Redis bus. Notifications go to a recorder on a private session bus.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const PASSWORD = 'correct horse battery staple';
const FORGED_MESSAGE = 'IT here: your password expired, re-enter it at intranet-login.example';
const FORGED_NOTICE = 'Payroll: confirm your bank details today';
const REAL_MESSAGE = 'Lunch at noon?';
const LIVE = { timeout: 15_000 };

const home = mkdtempSync(join(tmpdir(), 'portaldesk-forged-'));
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
/** Two processes of one deployment on PostgreSQL + Redis; otherwise one process on its own cluster. */
const scaleOut = Boolean(databaseUrl && redisUrl);
const shared = `t_forged_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Carol's pages and desktop talk to `carolSide`; Dan's socket is on `danSide`. */
let carolSide: TestServer;
let danSide: TestServer;
let origin: string;
let carol: number;
let dan: TestDesktop;
let browser: Browser;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let app: DesktopApp | undefined;
const watches: PageWatch[] = [];

function startProcess(): Promise<TestServer> {
  return scaleOut
    ? startTestServer({
        keptData: { name: shared },
        config: { redisUrl, redisNamespace: shared },
      })
    : startTestServer();
}

before(async () => {
  requireBuiltUi('chat.html');
  carolSide = await startProcess();
  danSide = scaleOut ? await startProcess() : carolSide;
  const { context } = carolSide;
  const acme = await context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = carolSide.portalUrl('acme.localhost');
  const person = async (firstName: string, lastName: string) =>
    (
      await createUserWithPassword(
        carolSide,
        acme.id,
        { firstName, lastName, username: firstName.toLowerCase() },
        PASSWORD,
      )
    ).id;
  const alice = await person('Alice', 'Johnson');
  carol = await person('Carol', 'Davis');
  await person('Dan', 'Miller');
  const aliceDesktop = new TestDesktop(carolSide, 'acme.localhost', { user_os_mark: 'alice-pc', user_account: 'a' });
  assert.equal((await aliceDesktop.signIn('alice', PASSWORD)).status, 200);
  const welcome = await aliceDesktop.rest('im.message.add', { DIALOG_ID: carol, MESSAGE: 'Welcome aboard' });
  assert.equal(welcome.status, 200, JSON.stringify(welcome.body));
  // Notifications come from integrations: Alice's webhook.
  const aliceHook = await createWebhookUrl(carolSide, acme, alice, ['im']);
  const notice = await callRest(carolSide, `${aliceHook}im.notify.personal.add`, {
    USER_ID: carol,
    MESSAGE: 'Review on Friday',
  });
  assert.equal(notice.status, 200, JSON.stringify(notice.body));
  dan = new TestDesktop(danSide, 'acme.localhost', { user_os_mark: 'dan-pc', user_account: 'd' });
  assert.equal((await dan.signIn('dan', PASSWORD)).status, 200);
  [display, bus] = await Promise.all([startXvfb(), startSessionBus()]);
  notifications = await startRecordingNotificationService(bus.address);
  browser = await launchBrowser();
});

after(async () => {
  for (const watch of watches) {
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
  }
  await app?.quit();
  await browser?.close();
  await notifications?.stop();
  await Promise.all([display?.stop(), bus?.stop()]);
  if (danSide !== carolSide) await danSide?.close();
  await carolSide?.close();
  if (scaleOut && databaseUrl) {
    const { openPostgresDatabase, quoteIdentifier } = await import('@portaldesk/server/testing');
    const admin = await openPostgresDatabase({ connectionString: databaseUrl, maxConnections: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(shared)} CASCADE`);
    await admin.close();
  }
  rmSync(home, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function carolsPage(path: '/' | '/m/', viewport: typeof DESKTOP_VIEWPORT): Promise<Page> {
  const watch = await openWatchedPage(browser, origin, viewport);
  watches.push(watch);
  await watch.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  await signInWithForm(watch.page, 'carol', PASSWORD);
  await watch.page
    .getByRole('button', { name: /Alice Johnson/ })
    .first()
    .waitFor(LIVE);
  return watch.page;
}

/**
 * What Dan forges: copies of real events Carol's clients have been sent (Alice's message, Alice's
 * notification), with his own words, as an attacker who has seen the protocol would write them.
 */
async function forgeries(): Promise<{ message: Record<string, unknown>; notice: Record<string, unknown> }> {
  const stored = await carolSide.context.events.readAfter(carol, 0, 100);
  const message = stored.find((e) => e.event.command === 'message')?.event.params;
  const notice = stored.find((e) => e.event.command === 'notifyAdd')?.event.params;
  assert.ok(message && notice, 'templates from the event log');
  const real = message.message as Record<string, unknown>;
  return {
    message: {
      ...message,
      counter: Number(message.counter ?? 0) + 1,
      message: { ...real, id: Number(real.id) + 1000, text: FORGED_MESSAGE, date: new Date().toISOString() },
    },
    notice: { ...notice, id: Number(notice.id) + 1000, text: FORGED_NOTICE, counter: 2 },
  };
}

test("a colleague's forged message and notification show nowhere; a real message right after shows everywhere", async () => {
  const port = carolSide.port;
  app = await startDesktopUnderTest(display, {
    paths: appPaths({ PORTALDESK_HOME: home }),
    notificationBus: bus.address,
  });
  const added = await app.lifecycle.addWithPassword({
    address: `acme.localhost:${port}`,
    login: 'carol',
    password: PASSWORD,
  });
  assert.equal(added.status, 'signed-in');
  await until('the desktop is online', () => app!.delivery.statuses().every((s) => s.state === 'online'));
  const chatWindow = (await app.router.showChat()).page;
  await chatWindow.getByRole('navigation', { name: 'Chats' }).getByText('Alice Johnson').waitFor(LIVE);
  const web = await carolsPage('/', DESKTOP_VIEWPORT);
  const phone = await carolsPage('/m/', PHONE_VIEWPORT);
  // The desktop's background connection and both pages hold a socket: what is published now reaches them.
  await until('three sockets of Carol', () => carolSide.context.realtime.hub.socketsOf(carol) >= 3);

  const config = (await dan.rest('pull.config.get', { CACHE: 'N' })).body.result as PullConfig;
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const socket = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${ids}&revision=19`);
  await socket.opened;
  const forged = await forgeries();
  for (const [command, params] of [
    ['message', forged.message],
    ['notifyAdd', forged.notice],
  ] as const) {
    const answer = await socket.call('publish', { userList: [carol], body: { module_id: 'im', command, params } });
    assert.equal(answer.result, true, `the server accepts Dan's ${command} for Carol, marked as his`);
  }
  const sent = await dan.rest('im.message.add', { DIALOG_ID: carol, MESSAGE: REAL_MESSAGE });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));

  await notifications.waitFor((r) => r.some((n) => n.body === REAL_MESSAGE));
  for (const page of [web, phone, chatWindow]) {
    await page
      .getByRole('button', { name: /Dan Miller/ })
      .getByText(REAL_MESSAGE)
      .waitFor(LIVE);
  }
  // Whatever came before the real message has been handled by now.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const [name, page] of [
    ['web page', web],
    ['phone page', phone],
    ['desktop chat window', chatWindow],
  ] as const) {
    for (const text of [FORGED_MESSAGE, FORGED_NOTICE]) {
      assert.equal(await page.getByText(text).count(), 0, `${name} shows "${text}"`);
    }
    assert.equal(
      await page
        .getByRole('button', { name: /Alice Johnson/ })
        .getByText('Welcome aboard')
        .count(),
      1,
      `${name}: Alice's dialog still shows her real last message`,
    );
  }
  assert.deepEqual(
    notifications.received.map((n) => n.body),
    [REAL_MESSAGE],
    'the desktop raised one notification: the real message',
  );
  await saveScreenshot(web, 'forged-events-portal');
  await saveScreenshot(phone, 'forged-events-phone');
  await socket.close();
});
