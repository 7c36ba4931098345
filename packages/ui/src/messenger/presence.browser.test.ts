import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import { saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };

const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
    ['Carol', 'Cole'],
  ],
  async ({ server, users }) => {
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    const sent = await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Are you free at 3?' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
  },
);

/** The dot on Bob's avatar in Alice's chat list: `online`, `away`, `dnd`, or null (offline: no dot). */
function bobsDotInList(page: Page) {
  return page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .getByTestId('presence-dot');
}

async function waitForDot(page: Page, where: 'list' | 'header', kind: string | null): Promise<void> {
  await page.waitForFunction(
    ({ where, kind }) => {
      const scope =
        where === 'list'
          ? [...document.querySelectorAll('nav[aria-label=Chats] li button')].find((b) =>
              b.textContent?.includes('Bob Burns'),
            )
          : document.querySelector('section[aria-label=Conversation] header');
      if (!scope) return false;
      const dot = scope.querySelector('[data-testid=presence-dot]');
      return (dot?.getAttribute('data-presence') ?? null) === kind;
    },
    { where, kind },
    LIVE,
  );
}

function headerLine(page: Page) {
  return page.getByRole('region', { name: 'Conversation' }).getByTestId('presence');
}

test("Bob's status shows live in Alice's chat list and dialog header: online, do not disturb, offline", async () => {
  const alice = await acme.signedIn('alice', '/');
  await alice
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  await headerLine(alice).waitFor(LIVE);
  assert.equal((await headerLine(alice).textContent())?.trim(), 'offline', 'Bob has never been connected');
  assert.equal(await bobsDotInList(alice).count(), 0, 'offline: no dot');

  const bob = await acme.signedIn('bob', '/');
  await waitForDot(alice, 'list', 'online');
  await waitForDot(alice, 'header', 'online');
  assert.equal((await headerLine(alice).textContent())?.trim(), 'online');
  assert.equal(await bobsDotInList(alice).getAttribute('aria-label'), 'Online');

  // Bob chooses "Do not disturb" on his own avatar.
  const own = bob.getByTestId('own-status');
  assert.equal(await own.getAttribute('aria-label'), 'Your status: Online');
  await own.click();
  const menu = bob.getByRole('menu', { name: 'Your status' });
  await menu.waitFor();
  assert.deepEqual(await seriousAccessibilityViolations(bob), []);
  await saveScreenshot(bob, 'status-own-menu');
  await menu.getByRole('menuitemradio', { name: 'Do not disturb' }).click();
  await bob.waitForFunction(
    () =>
      document.querySelector('[data-testid=own-status]')?.getAttribute('aria-label') === 'Your status: Do not disturb',
    undefined,
    LIVE,
  );
  assert.equal(await menu.count(), 0, 'the menu closes once chosen');

  await waitForDot(alice, 'list', 'dnd');
  const actions = alice.getByTestId('chat-list-actions');
  assert.ok(
    await actions.evaluate((bar) => bar.scrollWidth <= bar.clientWidth),
    `the own status and the "new" buttons fit the chat list: ${await actions.evaluate((bar) => `${bar.scrollWidth} > ${bar.clientWidth}; ${[...bar.children].map((c) => c.getBoundingClientRect().width).join(',')}`)}`,
  );
  await waitForDot(alice, 'header', 'dnd');
  assert.equal((await headerLine(alice).textContent())?.trim(), 'do not disturb');
  assert.equal(await bobsDotInList(alice).getAttribute('aria-label'), 'Do not disturb');
  await saveScreenshot(alice, 'status-dnd-in-list-and-header');

  // The new-message picker shows it too.
  await alice.getByRole('button', { name: 'New message' }).click();
  const bobOption = alice.getByRole('listbox', { name: 'Colleagues' }).getByRole('option', { name: /Bob Burns/ });
  await bobOption.locator('[data-presence=dnd]').waitFor(LIVE);
  await saveScreenshot(alice, 'status-dnd-in-picker');
  await alice.getByRole('button', { name: 'Cancel' }).click();

  // After a reload Bob's page still says what he chose.
  await bob.reload({ waitUntil: 'networkidle' });
  await bob.waitForFunction(
    () =>
      document.querySelector('[data-testid=own-status]')?.getAttribute('aria-label') === 'Your status: Do not disturb',
    undefined,
    LIVE,
  );
  await bob.context().close();
  await waitForDot(alice, 'list', null);
  assert.equal((await headerLine(alice).textContent())?.trim(), 'last seen just now');
  await alice.context().close();
});

test('away, chosen or after idleness, shows as the orange dot on the phone', async () => {
  const bobRest = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await bobRest.signIn('bob', MESSENGER_PASSWORD)).status, 200);
  assert.equal((await bobRest.rest('im.user.status.set', { STATUS: 'online' })).status, 200);
  const bob = await acme.signedIn('bob', '/m/');
  const alice = await acme.signedIn('alice', '/m/', { width: 390, height: 844 });
  await waitForDot(alice, 'list', 'online');
  await alice.getByTestId('own-status').tap();
  await alice.getByRole('menu', { name: 'Your status' }).waitFor();
  assert.deepEqual(await smallTouchTargets(alice), [], 'the status menu suits a finger');
  await alice.getByTestId('own-status').tap();
  assert.equal((await bobRest.rest('im.user.status.idle.start', { AGO: 5 })).status, 200);
  await waitForDot(alice, 'list', 'away');
  assert.equal(await bobsDotInList(alice).getAttribute('aria-label'), 'Away');
  await saveScreenshot(alice, 'status-away-on-phone');
  assert.equal((await bobRest.rest('im.user.status.idle.end')).status, 200);
  await waitForDot(alice, 'list', 'online');
  await bob.context().close();
  await alice.context().close();
});
