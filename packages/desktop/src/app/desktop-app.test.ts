import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SESSION_COOKIE } from '@portaldesk/protocol';
import { createUserWithPassword, leakedSecrets, startTestServer, type TestServer } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { appPaths } from '../paths/app-paths.ts';
import { requireBuiltUi, screenshots, startDesktopUnderTest } from '../testing/desktop-under-test.ts';
import { descendantsOf } from '../testing/process-tree.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';
import type { DesktopApp } from './desktop-app.ts';

// The whole desktop against a real portal server: the built login window, the bridge, sign-in,
// the account's window, a second start. Runs in its own process; no keyring service is reachable
// here (the bus address points nowhere), so the encrypted-file vault and its warning are used.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portaldesk-test-bus';

const home = mkdtempSync(join(tmpdir(), 'portaldesk-app-'));
const paths = appPaths({ PORTALDESK_HOME: home });
let server: TestServer;
let display: VirtualDisplay;
let app: DesktopApp | undefined;
const PASSWORD = 'ann desktop password';

before(async () => {
  requireBuiltUi('login.html');
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, PASSWORD);
  display = await startXvfb();
});
after(async () => {
  await app?.quit();
  await display?.stop();
  assert.deepEqual(leakedSecrets(server, [PASSWORD]), []);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function startApp(): Promise<DesktopApp> {
  return startDesktopUnderTest(display, {
    paths,
  });
}

async function signedInOnPortal(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const response = await fetch('/rest/portaldesk.session.list.json');
    const body = (await response.json()) as { result?: { current: boolean }[] };
    return response.status === 200 && (body.result ?? []).some((s) => s.current);
  });
}

test('first start: the login window signs in and opens the portal in its own window', async () => {
  app = await startApp();
  const login = await app.router.showFirstWindow();
  assert.equal(login.target.kind === 'own' && login.target.name, 'login');
  const page = login.page;
  await page.getByRole('heading', { name: 'Sign in to Portaldesk' }).waitFor();
  assert.match((await page.getByTestId('vault-warning').textContent()) ?? '', /encrypted file/);
  await page.screenshot({ path: join(screenshots, 'desktop-login-address.png') });

  await page.locator('input[name=address]').fill('shop.invalid');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('error').waitFor();
  assert.match((await page.getByTestId('error').textContent()) ?? '', /There is no shop\.invalid/);

  await page.locator('input[name=address]').fill(`acme.localhost:${server.port}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('input[name=password]').waitFor();
  await page.locator('input[name=login]').fill('ann');
  await page.locator('input[name=password]').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('error').waitFor();
  assert.equal(await page.getByTestId('error').textContent(), 'The login or the password is not right.');
  await page.screenshot({ path: join(screenshots, 'desktop-login-wrong-password.png') });

  await page.locator('input[name=password]').fill(PASSWORD);
  const closed = page.waitForEvent('close');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await closed;
  const portal = app.windows.windows().find((w) => w.target.kind === 'account');
  assert.ok(portal, 'the portal window is open');
  assert.equal(new URL(portal.page.url()).origin, `http://acme.localhost:${server.port}`);
  assert.ok(await signedInOnPortal(portal.page), 'the portal window is signed in');
  await portal.page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await portal.page.locator('input[name=password]').count(), 0, 'the portal page starts signed in');
  await portal.page.screenshot({ path: join(screenshots, 'desktop-portal-window.png') });
  assert.equal(app.settings.get().accounts.length, 1);
});

test('the next start opens the portal without asking for the password', async () => {
  await app?.quit();
  assert.deepEqual(
    descendantsOf(process.pid).filter((p) => p.command.includes('chromium')),
    [],
    'no browser process is left after quitting',
  );
  app = await startApp();
  const first = await app.router.showFirstWindow();
  assert.equal(first.target.kind, 'account');
  assert.ok(await signedInOnPortal(first.page));
});

test('removing the account forgets it: settings, secrets, browser data and its portal session', async () => {
  assert.ok(app);
  const account = app.settings.get().accounts[0];
  assert.ok(account);
  const session = await app.delivery.connection(account.id)?.currentSession();
  const token = session?.cookies.get(SESSION_COOKIE);
  assert.ok(token);
  const acme = await server.context.portals.findByDomain('acme.localhost');
  assert.ok(acme);
  assert.ok(await server.context.sessions.validate(acme.id, token), 'the background session is live');
  await app.lifecycle.remove(account.id);
  assert.equal(await server.context.sessions.validate(acme.id, token), null, 'the portal session ended');
  assert.deepEqual(app.settings.get().accounts, []);
  assert.equal(await app.vault.get(account.id, 'app-password'), null);
  assert.equal(await app.vault.get(account.id, 'device-token'), null);
  assert.equal(
    app.windows.windows().some((w) => w.target.kind === 'account'),
    false,
  );
  await app.quit();
  app = await startApp();
  assert.equal(existsSync(join(paths.dataDir, 'browser', `pd-account-${account.id}`)), false);
  const first = await app.router.showFirstWindow();
  assert.equal(
    first.target.kind === 'own' && first.target.name,
    'login',
    'with no account left, the login window opens',
  );
  await app.router.onSecondLaunch({ type: 'second-launch', argv: [], cwd: '/' });
  assert.equal(app.windows.windows().length, 1, 'launching again brings the open window forward, no second one');
});
