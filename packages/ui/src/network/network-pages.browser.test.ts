import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createProfile,
  createUserWithPassword,
  desktopNetworkToken,
  linkByInvitation,
  networkUrl,
  newTotpSecret,
  type Portal,
  registerPortalWithNetwork,
  startTestServer,
  type TestServer,
  totpCode,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../testing/accessibility.ts';
import { launchBrowser, openWatchedPage, type PageWatch, saveScreenshot } from '../testing/browser.ts';

const PASSWORD = 'hanna has one network password';
const PORTAL_PASSWORD = 'hanna at globex has her own';
let server: TestServer;
let browser: Browser;
let acme: Portal;
let globex: Portal;
let network: string;
let totpSecret: string;

before(async () => {
  server = await startTestServer();
  network = networkUrl(server);
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  await server.context.portals.create({ domain: 'solo.localhost', name: 'Solo' });
  await registerPortalWithNetwork(server.context, acme, server.portalUrl('acme.localhost'));
  await registerPortalWithNetwork(server.context, globex, server.portalUrl('globex.localhost'));
  const hannaAtAcme = await server.context.users.create(acme.id, {
    firstName: 'Hanna',
    lastName: 'Acme',
    email: 'hanna@example.com',
  });
  await createUserWithPassword(
    server,
    globex.id,
    { firstName: 'Hanna', lastName: 'Globex', email: 'h.globex@example.com' },
    PORTAL_PASSWORD,
  );
  await createProfile(server, { email: 'hanna@example.com', password: PASSWORD, displayName: 'Hanna', verified: true });
  const token = await desktopNetworkToken(server, { login: 'hanna@example.com', password: PASSWORD });
  await linkByInvitation(server, {
    portal: acme,
    userId: hannaAtAcme.id,
    email: 'hanna@example.com',
    profileToken: token,
  });
  const otto = await createProfile(server, { phone: '+14155550199', password: PASSWORD, displayName: 'Otto' });
  totpSecret = newTotpSecret();
  await server.context.network.profiles.setTotpSecret(otto.id, totpSecret);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function withNetworkPage(body: (watch: PageWatch) => Promise<void>) {
  const watch = await openWatchedPage(browser, network);
  try {
    await body(watch);
  } finally {
    await watch.context.close();
  }
}

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

function portalRows(page: Page) {
  return page.getByTestId('network-portal-list').getByRole('listitem');
}

test('the Network sign-in page: strict CSP, accessible, the same error for any wrong login', async () => {
  await withNetworkPage(async ({ page, consoleErrors, foreignRequests, failedAssets }) => {
    const response = await page.goto(`${network}/`, { waitUntil: 'networkidle' });
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await page.getByRole('heading', { name: 'Sign in to Network' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/signin', 'signed out, the profile page sends to sign-in');
    await saveScreenshot(page, 'network-sign-in');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await signIn(page, 'nobody@example.com', PASSWORD);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const unknown = await alert.textContent();
    await signIn(page, 'hanna@example.com', 'not her password');
    await page.getByRole('alert').filter({ hasText: 'Incorrect' }).waitFor();
    assert.equal(await page.getByRole('alert').textContent(), unknown);
    assert.match(unknown ?? '', /Incorrect login or password/);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(failedAssets, []);
  });
});

test('a profile with two-step verification signs in by phone, then with the code', async () => {
  await withNetworkPage(async ({ page, consoleErrors }) => {
    await page.goto(`${network}/signin`, { waitUntil: 'networkidle' });
    await signIn(page, '(415) 555-0199', PASSWORD);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Code').fill('000000' === totpCode(totpSecret, new Date()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'code is not correct' }).waitFor();
    await saveScreenshot(page, 'network-sign-in-code');
    await page.getByLabel('Code').fill(totpCode(totpSecret, new Date()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Otto' }).waitFor();
    assert.match(
      (await page.getByText('Two-step verification').locator('xpath=following-sibling::dd[1]').textContent()) ?? '',
      /On/,
    );
    assert.deepEqual(consoleErrors, []);
  });
});

test('the profile page lists the linked portals; a portal account is linked by proving it on the portal', async () => {
  await withNetworkPage(async ({ page, consoleErrors }) => {
    await page.goto(`${network}/signin`, { waitUntil: 'networkidle' });
    await signIn(page, 'hanna@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Your portals' }).waitFor();
    await assertRows(page, [['Acme', 'acme.localhost', 'Hanna Acme', 'Reachable']]);

    // Link Globex: the portal asks Hanna to sign in there, then the Network asks her to confirm.
    await page.getByLabel('Portal address').fill(`globex.localhost:${server.port}`);
    await page.getByRole('button', { name: 'Link account' }).click();
    await page.waitForURL(/globex\.localhost.*after_sign_in=network-link/);
    await signIn(page, 'h.globex@example.com', PORTAL_PASSWORD);
    await page.getByRole('heading', { name: 'Add Globex' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /signed in to the Network as Hanna/);
    await saveScreenshot(page, 'network-link-consent');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Add to my profile' }).click();
    await page.waitForURL(`${network}/`);
    await page.getByRole('heading', { name: 'Your portals' }).waitFor();
    await assertRows(page, [
      ['Acme', 'acme.localhost', 'Hanna Acme', 'Reachable'],
      ['Globex', 'globex.localhost', 'Hanna Globex', 'Reachable'],
    ]);
    await saveScreenshot(page, 'network-profile');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    // Unlinking asks once more, then the portal leaves the list.
    await page.getByRole('button', { name: 'Unlink Globex' }).click();
    await page.getByRole('button', { name: 'Remove Globex' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=network-portal-list] li').length === 1);
    await assertRows(page, [['Acme', 'acme.localhost', 'Hanna Acme', 'Reachable']]);

    await page.getByTestId('network-sign-out').click();
    await page.getByRole('heading', { name: 'Sign in to Network' }).waitFor();
    await page.goto(`${network}/`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Sign in to Network' }).waitFor();
    assert.deepEqual(consoleErrors, []);
  });
});

async function assertRows(page: Page, expected: string[][]) {
  const rows = await portalRows(page).all();
  const seen = await Promise.all(
    rows.map(async (row) => {
      const text = (await row.textContent()) ?? '';
      return expected.find((e) => e.every((part) => text.includes(part)))?.[0] ?? text;
    }),
  );
  assert.deepEqual(
    seen,
    expected.map((e) => e[0]),
  );
}

test('"Sign in with Network" on the portal lands signed in there; a portal without a Network offers no button', async () => {
  const acmeOrigin = server.portalUrl('acme.localhost');
  const watch = await openWatchedPage(browser, acmeOrigin);
  try {
    const { page } = watch;
    await page.goto(`${server.portalUrl('solo.localhost')}/`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByTestId('sign-in-with-network').count(), 0);

    await page.goto(`${acmeOrigin}/`, { waitUntil: 'networkidle' });
    const button = page.getByTestId('sign-in-with-network');
    await button.waitFor();
    await saveScreenshot(page, 'portal-sign-in-with-network');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await button.click();
    await page.waitForURL(/network\.localhost.*\/oauth\/authorize/);
    await page.getByText('to continue to Acme').waitFor();
    await saveScreenshot(page, 'network-authorize-sign-in');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await signIn(page, 'hanna@example.com', PASSWORD);
    await page.waitForURL(`${acmeOrigin}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await saveScreenshot(page, 'portal-signed-in-with-network');
    const sessions = await server.context.sessions.list(acme.id, 1);
    assert.equal(sessions.length, 1, 'one portal session for Hanna');
    assert.deepEqual(watch.consoleErrors, []);

    // A reload keeps the session; signing out of the portal ends it.
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal((await server.context.sessions.list(acme.id, 1)).length, 0);
  } finally {
    await watch.context.close();
  }
});
