import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUserWithPassword, startTestServer, type TestServer } from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../testing/accessibility.ts';
import { launchBrowser, openWatchedPage, type PageWatch, saveScreenshot, signInWithForm } from '../testing/browser.ts';

const PASSWORD = 'correct horse battery staple';
let server: TestServer;
let browser: Browser;
let origin: string;
const watches: PageWatch[] = [];

before(async () => {
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ada', lastName: 'Admin', username: 'ada', isAdmin: true },
    PASSWORD,
  );
  await createUserWithPassword(server, acme.id, { firstName: 'Alice', lastName: 'Ames', username: 'alice' }, PASSWORD);
  browser = await launchBrowser();
});
after(async () => {
  for (const watch of watches) {
    assert.deepEqual(watch.consoleErrors, []);
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.failedAssets, []);
  }
  await browser?.close();
  await server?.close();
});

async function signedIn(login: string, password = PASSWORD, path = '/'): Promise<Page> {
  const watch = await openWatchedPage(browser, origin);
  watches.push(watch);
  await watch.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  await signInWithForm(watch.page, login, password);
  await watch.page.getByRole('navigation', { name: 'Portal' }).waitFor();
  return watch.page;
}

async function openAdministration(page: Page, section: 'Users' | 'Incoming webhooks' | 'Applications'): Promise<void> {
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: section }).click();
  await page.getByRole('heading', { name: section, level: 2 }).waitFor();
}

/** Takes the screenshot and runs axe with the pointer out of the way (hover shades are not judged). */
async function lookAt(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await saveScreenshot(page, name);
  assert.deepEqual(await seriousAccessibilityViolations(page), []);
}

const userRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });

test('an administrator creates users who can sign in; deactivating signs one out, reactivating lets them back', async () => {
  const ada = await signedIn('ada');
  await openAdministration(ada, 'Users');
  await userRow(ada, 'Alice Ames').waitFor();
  await lookAt(ada, 'portal-web-admin-users');

  await ada.getByRole('button', { name: 'Add user' }).click();
  const form = ada.getByRole('form', { name: 'New user' });
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByRole('alert').filter({ hasText: 'Enter a first name.' }).waitFor();
  await form.getByLabel('First name').fill('Nora');
  await form.getByLabel('Last name').fill('North');
  await form.getByLabel('E-mail').fill('Nora@Acme.Test');
  await form.getByLabel('Set the password now').check();
  await form.getByLabel('Initial password').fill('nora first password');
  await lookAt(ada, 'portal-web-admin-new-user');
  await form.getByRole('button', { name: 'Create user' }).click();
  await ada.getByRole('status').filter({ hasText: 'Nora North can sign in now.' }).waitFor();
  assert.equal(await ada.getByLabel('Temporary password', { exact: true }).count(), 0);
  await userRow(ada, 'Nora North').getByText('nora@acme.test').waitFor();

  // Without a password the server makes one, shown once, and it works.
  await ada.getByRole('button', { name: 'Add user' }).click();
  await form.getByLabel('First name').fill('Tim');
  await form.getByLabel('User name').fill('tim');
  await form.getByRole('button', { name: 'Create user' }).click();
  const temporary = await ada.getByLabel('Temporary password', { exact: true }).inputValue();
  assert.ok(temporary.length >= 12);
  await lookAt(ada, 'portal-web-admin-user-created');
  const tim = await signedIn('tim', temporary);
  await tim.context().close();

  // A taken login is refused with the server's words, and nothing is added.
  await ada.getByRole('button', { name: 'Add user' }).click();
  await form.getByLabel('First name').fill('Twin');
  await form.getByLabel('User name').fill('TIM');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByRole('alert').filter({ hasText: 'already has a user with this user name' }).waitFor();
  await form.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await userRow(ada, 'Twin').count(), 0);

  // Nora signs in; deactivated, her next step lands on the sign-in form and she cannot sign in.
  const nora = await signedIn('nora@acme.test', 'nora first password');
  await ada.getByRole('button', { name: 'Deactivate Nora North' }).click();
  await userRow(ada, 'Nora North').getByText('Deactivated').waitFor();
  await nora.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Notifications' }).click();
  await nora.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
  await nora.getByLabel('Login').fill('nora@acme.test');
  await nora.getByLabel('Password').fill('nora first password');
  await nora.getByRole('button', { name: 'Sign in' }).click();
  await nora.getByRole('alert').waitFor();
  assert.equal(await nora.getByRole('navigation', { name: 'Portal' }).count(), 0);

  await ada.getByRole('button', { name: 'Reactivate Nora North' }).click();
  await userRow(ada, 'Nora North').getByText('Active', { exact: true }).waitFor();
  await nora.getByRole('button', { name: 'Sign in' }).click();
  await nora.getByRole('navigation', { name: 'Portal' }).waitFor();
  assert.equal(await userRow(ada, 'Ada Admin').getByRole('button').count(), 0, 'no way to deactivate oneself');
});

test('a webhook made on the page works for user.current until it is deleted', async () => {
  const ada = await signedIn('ada');
  await openAdministration(ada, 'Incoming webhooks');
  await ada.getByText('No incoming webhooks.').waitFor();
  await ada.getByRole('button', { name: 'New webhook' }).click();
  const form = ada.getByRole('form', { name: 'New incoming webhook' });
  await form.getByLabel('What it is for').fill('CRM sync');
  await form.getByRole('checkbox', { name: 'user', exact: true }).check();
  await form.getByRole('checkbox', { name: 'im', exact: true }).check();
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const address = await ada.getByLabel('Webhook address').inputValue();
  assert.match(address, new RegExp(`^${origin}/rest/\\d+/[^/]+/$`));
  await ada.getByRole('list', { name: 'Incoming webhooks' }).getByText('Scopes: user, im').waitFor();
  await lookAt(ada, 'portal-web-admin-webhooks');

  const current = await server.fetch(`${address}user.current.json`);
  assert.equal(current.status, 200);
  assert.equal(((await current.json()) as { result: { NAME: string } }).result.NAME, 'Ada');

  // Once closed, the address is not shown again.
  await ada.getByRole('button', { name: 'Done' }).click();
  assert.equal(await ada.getByLabel('Webhook address').count(), 0);
  assert.ok(!(await ada.content()).includes(address.split('/')[5] as string));

  await ada.getByRole('button', { name: 'Delete CRM sync' }).click();
  await ada.getByRole('button', { name: 'Delete', exact: true }).click();
  await ada.getByText('No incoming webhooks.').waitFor();
  assert.equal((await server.fetch(`${address}user.current.json`)).status, 401);
});

test('an application registered on the page: its secret shown once and working, replaced, then deleted', async () => {
  const ada = await signedIn('ada');
  await openAdministration(ada, 'Applications');
  await ada.getByText('No applications.').waitFor();
  await ada.getByRole('button', { name: 'New application' }).click();
  const form = ada.getByRole('form', { name: 'New application' });
  await form.getByRole('button', { name: 'Register application' }).click();
  await form.getByRole('alert').filter({ hasText: 'Enter a name.' }).waitFor();
  await form.getByLabel('Name').fill('Reports');
  await form.getByLabel('Redirect URIs').fill('http://reports.example.com/callback');
  await form.getByRole('checkbox', { name: 'user', exact: true }).check();
  await form.getByRole('checkbox', { name: 'im', exact: true }).check();
  await form.getByRole('button', { name: 'Register application' }).click();
  await form.getByRole('alert').filter({ hasText: 'must be https' }).waitFor();
  await form.getByLabel('Redirect URIs').fill('https://reports.example.com/callback\nhttp://127.0.0.1:8400/callback');
  await lookAt(ada, 'portal-web-admin-new-app');
  await form.getByRole('button', { name: 'Register application' }).click();

  const clientId = await ada.getByLabel('Client ID').inputValue();
  const secret = await ada.getByLabel('Client secret').inputValue();
  assert.match(clientId, /^local\.[0-9a-f]{14}\.\d{8}$/);
  assert.ok(await secretOpens(clientId, secret), 'the secret shown is the app’s');
  const listed = ada.getByRole('list', { name: 'Applications' }).getByRole('listitem');
  await listed.filter({ hasText: 'Scopes: user, im' }).getByText(clientId).waitFor();
  await lookAt(ada, 'portal-web-admin-app-registered');
  await ada.getByRole('button', { name: 'Done' }).click();
  assert.equal(await ada.getByLabel('Client secret').count(), 0);
  assert.ok(!(await ada.content()).includes(secret), 'once closed, the secret is nowhere on the page');

  await ada.getByRole('button', { name: 'New secret for Reports' }).click();
  await ada.getByRole('button', { name: 'Replace', exact: true }).click();
  const replaced = await ada.getByLabel('Client secret').inputValue();
  assert.notEqual(replaced, secret);
  assert.ok(await secretOpens(clientId, replaced));
  assert.ok(!(await secretOpens(clientId, secret)), 'the old secret no longer works');
  await listed.getByText(/secret replaced/).waitFor();
  await lookAt(ada, 'portal-web-admin-apps');

  await ada.getByRole('button', { name: 'Delete Reports' }).click();
  await ada.getByRole('button', { name: 'Delete', exact: true }).click();
  await ada.getByText('No applications.').waitFor();
  assert.ok(!(await secretOpens(clientId, replaced)));
});

async function secretOpens(clientId: string, secret: string): Promise<boolean> {
  const acme = await server.context.portals.findByDomain('acme.localhost');
  return (await server.context.oauthApps.authenticate(acme?.id ?? 0, clientId, secret)) !== null;
}

test('a member sees no administration, and the admin REST methods refuse them', async () => {
  const alice = await signedIn('alice');
  await alice.getByRole('navigation', { name: 'Portal' }).getByText('Alice Ames').waitFor();
  assert.equal(await alice.getByRole('link', { name: 'Administration' }).count(), 0);
  await alice.goto(`${origin}/admin/users`, { waitUntil: 'networkidle' });
  await alice.getByText('This section is for portal administrators.').waitFor();
  assert.equal(await alice.getByRole('table').count(), 0);
  // A session call without the page's help: the cookie alone, as any script on the page could.
  const answers = await alice.evaluate(() =>
    Promise.all(
      ['portaldesk.admin.user.list', 'portaldesk.admin.webhook.list', 'portaldesk.admin.app.list'].map(
        async (method) => {
          const res = await fetch(`/rest/${method}.json`, { method: 'POST', credentials: 'same-origin', body: '{}' });
          return `${res.status} ${((await res.json()) as { error?: string }).error}`;
        },
      ),
    ),
  );
  assert.deepEqual(answers, ['403 ACCESS_DENIED', '403 ACCESS_DENIED', '403 ACCESS_DENIED']);
});
