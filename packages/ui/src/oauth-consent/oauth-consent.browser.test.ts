import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { OAuthTokenAnswer } from '@portaldesk/protocol';
import { createUserWithPassword, startTestServer, type TestServer } from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../testing/accessibility.ts';
import {
  launchBrowser,
  openWatchedPage,
  type PageWatch,
  PHONE_VIEWPORT,
  saveScreenshot,
  signInWithForm,
} from '../testing/browser.ts';

// The consent screen of `/oauth/authorize/` in Chromium: an app registered by the portal's
// administrator asks the people of the portal for access.
const PASSWORD = 'correct horse battery staple';
let server: TestServer;
/** The app's own web server, on loopback: where the portal sends the browser back. */
let appServer: Server;
let CALLBACK: string;
let browser: Browser;
let origin: string;
let app: { clientId: string; clientSecret: string };
const watches: PageWatch[] = [];

before(async () => {
  appServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Reports</title><p>Reports</p>');
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  CALLBACK = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/callback`;
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  for (const firstName of ['Ann', 'Bob']) {
    const username = firstName.toLowerCase();
    await createUserWithPassword(server, acme.id, { firstName, lastName: 'Lee', username }, PASSWORD);
  }
  const registered = await server.context.oauthAppAdministration.register({
    portalId: acme.id,
    name: 'Reports',
    redirectUris: [CALLBACK],
    scopes: ['user', 'im'],
  });
  app = { clientId: registered.app.clientId, clientSecret: registered.clientSecret };
  browser = await launchBrowser();
});
after(async () => {
  for (const watch of watches) {
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(
      watch.foreignRequests.filter((url) => !url.startsWith(CALLBACK)),
      [],
      'nothing but the way back to the app',
    );
    assert.deepEqual(watch.failedAssets, []);
  }
  await browser?.close();
  await server?.close();
  appServer?.close();
});

async function freshBrowser(viewport?: typeof PHONE_VIEWPORT): Promise<Page> {
  const watch = await openWatchedPage(browser, origin, viewport);
  watches.push(watch);
  return watch.page;
}

const authorizeUrl = (query: Record<string, string>) =>
  `${origin}/oauth/authorize/?${new URLSearchParams({ client_id: app.clientId, ...query })}`;

/** Opens the authorization link and waits until the browser is back at the app; answers that address. */
async function backAtApp(page: Page, action: () => Promise<unknown>): Promise<URL> {
  await Promise.all([page.waitForURL(`${CALLBACK}**`), action()]);
  return new URL(page.url());
}

async function lookAt(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await saveScreenshot(page, name);
  assert.deepEqual(await seriousAccessibilityViolations(page), []);
}

const consentHeading = (page: Page) => page.getByRole('heading', { name: 'Reports wants access to your account' });

test('signed out: sign in, see who asks for what, Allow; the app gets a working code, and next time no screen', async () => {
  const page = await freshBrowser();
  await page.goto(authorizeUrl({ scope: 'user', state: 'st-1' }), { waitUntil: 'networkidle' });
  await page.getByText('to Acme to continue to Reports').waitFor();
  await lookAt(page, 'portal-web-oauth-sign-in');
  await signInWithForm(page, 'ann', PASSWORD);
  await consentHeading(page).waitFor();
  await page.getByText('Signed in to Acme (acme.localhost) as Ann Lee.').waitFor();
  const permissions = page.getByRole('list', { name: 'Requested permissions' }).getByRole('listitem');
  assert.deepEqual(await permissions.allInnerTexts(), ['See your profile and your colleagues’ profiles\nuser']);
  await lookAt(page, 'portal-web-oauth-consent');

  const back = await backAtApp(page, () => page.getByRole('button', { name: 'Allow' }).click());
  assert.equal(back.searchParams.get('state'), 'st-1');
  const token = await server.fetch(`${origin}/oauth/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: back.searchParams.get('code') ?? '',
    }).toString(),
  });
  assert.equal(token.status, 200);
  assert.equal(((await token.json()) as OAuthTokenAnswer).scope, 'user');

  // Allowed once: the next authorization goes straight back, no screen.
  const again = await backAtApp(page, () => page.goto(authorizeUrl({ scope: 'user', state: 'st-2' })));
  assert.equal(again.searchParams.get('state'), 'st-2');
  assert.ok(again.searchParams.get('code'));

  // Asking for more brings the screen back, the new permission marked.
  await page.goto(authorizeUrl({ scope: 'user,im' }), { waitUntil: 'networkidle' });
  await consentHeading(page).waitFor();
  await page.getByText('It now asks for more than you allowed before. It will be able to:').waitFor();
  const more = page.getByRole('list', { name: 'Requested permissions' }).getByRole('listitem');
  await more.filter({ hasText: 'send messages as you' }).getByText('New').waitFor();
  assert.equal(await more.filter({ hasText: 'colleagues’ profiles' }).getByText('New').count(), 0);
  await lookAt(page, 'portal-web-oauth-consent-more');
});

test('Deny: the app hears access_denied with its state, and the screen comes back next time', async () => {
  const page = await freshBrowser(PHONE_VIEWPORT);
  await page.goto(authorizeUrl({ state: 'st-3' }), { waitUntil: 'networkidle' });
  await signInWithForm(page, 'bob', PASSWORD);
  await consentHeading(page).waitFor();
  await lookAt(page, 'portal-web-oauth-consent-phone');
  const back = await backAtApp(page, () => page.getByRole('button', { name: 'Deny' }).click());
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'st-3');
  assert.equal(back.searchParams.get('code'), null);
  await page.goto(authorizeUrl({}), { waitUntil: 'networkidle' });
  await consentHeading(page).waitFor();
});

test('a link the portal cannot answer is explained on the page, never followed', async () => {
  const page = await freshBrowser();
  await page.goto(authorizeUrl({ redirect_uri: 'https://evil.example.test/steal' }), { waitUntil: 'networkidle' });
  await page.getByRole('heading', { name: 'Cannot continue' }).waitFor();
  await page.getByRole('alert').filter({ hasText: 'redirect_uri is not registered for this application' }).waitFor();
  assert.ok(page.url().startsWith(origin));
  await lookAt(page, 'portal-web-oauth-problem');
});
