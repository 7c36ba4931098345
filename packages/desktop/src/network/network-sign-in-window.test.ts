import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DEMO_NETWORK_PROFILE,
  DEMO_PASSWORD,
  leakedSecrets,
  networkUrl,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import type { DesktopApp } from '../app/desktop-app.ts';
import { appPaths } from '../paths/app-paths.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import {
  type RecordingNotificationService,
  startRecordingNotificationService,
} from '../testing/recording-notification-service.ts';
import { type RecordingTrayHost, startRecordingTrayHost } from '../testing/recording-tray-host.ts';
import { type SecretServiceSession, startSecretService } from '../testing/secret-service-session.ts';
import { type PrivateSessionBus, startSessionBus } from '../testing/session-bus.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';

// "Sign in with Network profile" end to end under Xvfb, with the demo's Carol: one Network
// profile linked to her accounts in Acme and Globex. The Network's own page opens in an app
// window, the login window lists both portals, one press adds both accounts. The application
// passwords go to the real OS keyring (gnome-keyring on a private D-Bus session; this file runs
// in its own process, so pointing it at that bus affects nothing else).

const home = mkdtempSync(join(tmpdir(), 'portaldesk-network-'));
const paths = appPaths({ PORTALDESK_HOME: home });

let server: TestServer;
let display: VirtualDisplay;
let bus: PrivateSessionBus;
let notifications: RecordingNotificationService;
let trayHost: RecordingTrayHost;
let app: DesktopApp | undefined;
let keyring: SecretServiceSession;

before(async () => {
  requireBuiltUi('login.html');
  server = await startTestServer({ config: { demo: true } });
  [display, bus, keyring] = await Promise.all([startXvfb(), startSessionBus(), startSecretService()]);
  process.env.DBUS_SESSION_BUS_ADDRESS = keyring.busAddress;
  notifications = await startRecordingNotificationService(bus.address);
  trayHost = await startRecordingTrayHost(bus.address);
});

after(async () => {
  await app?.quit();
  await notifications?.stop();
  await trayHost?.stop();
  await Promise.all([display?.stop(), bus?.stop(), keyring?.stop()]);
  assert.deepEqual(leakedSecrets(server, [DEMO_PASSWORD]), []);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function startApp(): Promise<DesktopApp> {
  return startDesktopUnderTest(display, {
    paths,
    notificationBus: bus.address,
    networkUrl: networkUrl(server),
    keyringService: `portaldesk-network-test-${process.pid}`,
  });
}

/** The Network's page in its app window, once the desktop opened it. */
async function networkWindow(desktop: DesktopApp): Promise<Page> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const open = desktop.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'network');
    if (open) return open.page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the Network sign-in window did not open');
}

/** A colleague on that portal writes to Carol through REST. */
async function messageCarol(domain: string, from: string, text: string): Promise<void> {
  const colleague = new TestDesktop(server, domain, { user_os_mark: `${from}-machine`, user_account: from });
  assert.equal((await colleague.signIn(from, DEMO_PASSWORD)).status, 200);
  const portal = await server.context.portals.findByDomain(domain);
  const carol = await server.context.users.findByLogin(portal?.id ?? 0, {
    kind: 'email',
    value: DEMO_NETWORK_PROFILE.email,
  });
  const sent = await colleague.rest('im.message.add', { DIALOG_ID: carol?.id, MESSAGE: text });
  assert.equal(sent.status, 200);
}

test('one Network sign-in adds Carol’s accounts in both portals; they get messages and survive a restart', async () => {
  app = await startApp();
  const login = (await app.router.showFirstWindow()).page;
  await login.getByTestId('choose-network-sign-in').click();
  await login.getByTestId('network-open-sign-in').click();

  const network = await networkWindow(app);
  await network.getByText('to continue to').waitFor({ timeout: 15_000 });
  await network.screenshot({ path: join(screenshots, 'desktop-network-sign-in-page.png') });
  await network.getByLabel('Login').fill(DEMO_NETWORK_PROFILE.email);
  await network.getByLabel('Password').fill(DEMO_PASSWORD);
  await network.getByRole('button', { name: 'Sign in', exact: true }).click();

  const items = login.getByTestId('network-portal');
  await login.getByTestId('network-portal-list').waitFor({ timeout: 20_000 });
  assert.deepEqual(
    (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    [
      `Acme Corporation ${server.portalUrl('acme.localhost')} Carol Davis`,
      `Globex ${server.portalUrl('globex.localhost')} Carol Davis`,
    ],
  );
  assert.equal(await login.getByRole('checkbox', { checked: true }).count(), 2, 'both are ticked');
  await login.screenshot({ path: join(screenshots, 'desktop-network-portal-list.png') });
  assert.equal(await network.isClosed(), true, 'the Network window closed once signed in');

  const closed = login.waitForEvent('close', { timeout: 20_000 });
  await login.getByRole('button', { name: 'Add 2 accounts' }).click();
  await closed;
  const accounts = app.settings.get().accounts;
  assert.deepEqual(
    accounts.map((a) => [a.portal.origin, a.user.displayName, a.user.login]),
    [
      [server.portalUrl('acme.localhost'), 'Carol Davis', 'carol@example.com'],
      [server.portalUrl('globex.localhost'), 'Carol Davis', 'carol@example.com'],
    ],
  );
  assert.equal(app.vault.kind, 'os-keyring');
  for (const account of accounts) assert.ok(await app.vault.get(account.id, 'app-password'), 'in the keyring');

  await messageCarol('acme.localhost', 'alice', 'Hello Carol from Acme');
  await messageCarol('globex.localhost', 'erik@example.com', 'Hello Carol from Globex');
  for (const text of ['Hello Carol from Acme', 'Hello Carol from Globex']) {
    await notifications.waitFor((received) => received.some((n) => n.body.includes(text)), 15_000);
  }

  // "Add account" again: the Network session lasts, both are marked as added, nothing to add.
  const again = (await app.router.showOwnWindow('login')).page;
  await again.getByTestId('choose-network-sign-in').click();
  await again.getByTestId('network-open-sign-in').click();
  await again.getByTestId('network-portal-added').nth(1).waitFor({ timeout: 15_000 });
  assert.equal(await again.getByRole('checkbox', { disabled: true }).count(), 2);
  await again.getByTestId('network-all-added').waitFor();
  assert.equal(await again.getByTestId('network-add-accounts').count(), 0, 'nothing left to add');
  await again.screenshot({ path: join(screenshots, 'desktop-network-portal-list-added.png') });

  // "Sign out of Network": the desktop's Network token is revoked and the next Network sign-in
  // asks for the password again, while both portal accounts stay signed in and keep receiving.
  await again.getByTestId('network-sign-out').click();
  await again.getByTestId('network-open-sign-in').waitFor({ timeout: 15_000 });
  const live = await server.context.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM network_access_tokens WHERE revoked_at IS NULL',
  );
  assert.equal(live[0]?.n, 0, 'the Network token is revoked');
  await again.getByTestId('network-open-sign-in').click();
  const askedAgain = await networkWindow(app);
  await askedAgain.getByLabel('Password').waitFor({ timeout: 15_000 });
  await askedAgain.close();
  await again.getByTestId('network-open-sign-in').waitFor({ timeout: 15_000 });
  await messageCarol('acme.localhost', 'alice', 'Still signed in after leaving the Network');
  await notifications.waitFor(
    (r) => r.some((n) => n.body.includes('Still signed in after leaving the Network')),
    15_000,
  );
  await again.close();

  // Signed out of the Network (its sessions and the desktop's token end with a restart): the
  // portal accounts reconnect on their own application passwords.
  await app.quit();
  await server.context.db.query('UPDATE network_access_tokens SET revoked_at = now()');
  await server.context.db.query('DELETE FROM network_sessions');
  app = await startApp();
  const first = await app.router.showFirstWindow();
  assert.equal(first.target.kind, 'account');
  assert.ok(await signedInOnPortal(first.page));
  await messageCarol('globex.localhost', 'erik@example.com', 'Still there after the restart');
  await notifications.waitFor((r) => r.some((n) => n.body.includes('Still there after the restart')), 15_000);
});

async function signedInOnPortal(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const response = await fetch('/rest/portaldesk.session.list.json');
    const body = (await response.json()) as { result?: { current: boolean }[] };
    return response.status === 200 && (body.result ?? []).some((s) => s.current);
  });
}
