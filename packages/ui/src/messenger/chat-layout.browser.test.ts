import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const LONG_LINK = `https://example.com/${'very-long-path-segment-'.repeat(12)}end?query=${'x'.repeat(80)}`;
const LONG_WORD = `Supercalifragilistic${'expialidocious'.repeat(15)}`;
const LIVE = { timeout: 10_000 };

const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    // Bob sends a long link, a long word and a short answer; Alice answers him, so her own
    // message (with Edit and Delete) sits just under one of his.
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    const alice = new TestDesktop(server, 'acme.localhost');
    assert.equal((await alice.signIn('alice', MESSENGER_PASSWORD)).status, 200);
    for (const [from, to, text] of [
      [bob, users.alice!.id, 'Where is the plan? 🤔'],
      [alice, users.bob!.id, 'In the shared folder'],
      [bob, users.alice!.id, LONG_LINK],
      [bob, users.alice!.id, `[url=${LONG_LINK}]${LONG_LINK}[/url]`],
      [bob, users.alice!.id, LONG_WORD],
      [bob, users.alice!.id, 'Got it, reading it now, thanks a lot for sending it over so quickly'],
      [alice, users.bob!.id, 'Great'],
      [alice, users.bob!.id, 'See you at the meeting'],
    ] as const) {
      const sent = await from.rest('im.message.add', { DIALOG_ID: to, MESSAGE: text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }
  },
);

/** The three places the messenger is shown: portal web page, desktop chat window, phone app. */
const SCREENS = [
  { name: 'portal web at 1440×900', slug: 'portal-web', path: '/', viewport: WIDE, touch: false },
  { name: 'desktop chat window at 1440×900', slug: 'desktop-chat', path: null, viewport: WIDE, touch: false },
  { name: 'phone at 390×844', slug: 'mobile', path: '/m/', viewport: PHONE, touch: true },
] as const;

async function dialogWithBob(screen: (typeof SCREENS)[number]): Promise<Page> {
  const page = screen.path
    ? await acme.signedIn('alice', screen.path, screen.viewport)
    : await acme.chatWindow('alice', screen.viewport);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();
  await messageItem(page, 'See you at the meeting').waitFor(LIVE);
  return page;
}

const messageItem = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text }).last();

/** What a person would see as broken: anything wider than the window, a button off screen. */
async function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const faults: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) faults.push(`page ${root.scrollWidth} wide in ${root.clientWidth}`);
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(element);
      if (!/(auto|scroll)/.test(style.overflowX) || element.scrollWidth <= element.clientWidth) continue;
      faults.push(`${element.tagName} ${element.className.slice(0, 40)} scrolls sideways`);
    }
    const bubbles = document.querySelectorAll<HTMLElement>('[role=log] li');
    const log = document.querySelector<HTMLElement>('[role=log]')!.getBoundingClientRect();
    for (const bubble of bubbles) {
      const box = bubble.getBoundingClientRect();
      if (box.right > log.right + 0.5 || box.left < log.left - 0.5)
        faults.push(`bubble "${bubble.textContent?.slice(0, 30)}" reaches past the messages`);
    }
    const send = document.querySelector<HTMLElement>('button[aria-label=Send]');
    const sendBox = send?.getBoundingClientRect();
    if (!sendBox || sendBox.right > window.innerWidth || sendBox.bottom > window.innerHeight || sendBox.left < 0)
      faults.push(`Send button off screen: ${JSON.stringify(sendBox)}`);
    return faults;
  });
}

for (const screen of SCREENS) {
  test(`${screen.name}: a long link or word wraps inside its bubble; nothing scrolls sideways; Send stays on screen`, async () => {
    const page = await dialogWithBob(screen);
    await messageItem(page, 'Supercalifragilistic').scrollIntoViewIfNeeded();
    await saveScreenshot(page, `long-words-${screen.slug}`);
    assert.deepEqual(await layoutFaults(page), []);
    // Typed into the box, a long word wraps there as well.
    await page.getByRole('textbox', { name: 'Message' }).fill(LONG_WORD);
    assert.deepEqual(await layoutFaults(page), []);
    await page.context().close();
  });
}

/** The message actions' box, each other message's text box, and the scroller's box. */
async function actionsOverlap(page: Page): Promise<{ covered: string[]; outside: boolean }> {
  return page.evaluate(() => {
    const actions = [...document.querySelectorAll<HTMLElement>('[role=group][aria-label="Message actions"]')].find(
      (group) => group.getClientRects().length > 0,
    )!;
    const own = actions.closest('li')!;
    const a = actions.getBoundingClientRect();
    const scroller = actions.closest('[role=log]')!.parentElement!.getBoundingClientRect();
    const covered: string[] = [];
    for (const item of document.querySelectorAll<HTMLElement>('[role=log] li')) {
      if (item === own) continue;
      for (const text of item.querySelectorAll<HTMLElement>('p, time, button')) {
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const b of range.getClientRects()) {
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
            covered.push(text.textContent?.trim() ?? '');
        }
      }
    }
    const outside =
      a.top < scroller.top || a.bottom > scroller.bottom || a.left < scroller.left || a.right > scroller.right;
    return { covered, outside };
  });
}

for (const screen of SCREENS) {
  test(`${screen.name}: a message's actions cover no other message and stay inside the messages`, async () => {
    const page = await dialogWithBob(screen);
    for (const text of ['See you at the meeting', 'Got it, reading it now', 'Where is the plan?']) {
      const item = messageItem(page, text);
      await item.scrollIntoViewIfNeeded();
      if (screen.touch) await item.tap();
      else await item.hover();
      await page.getByRole('group', { name: 'Message actions' }).waitFor();
      await saveScreenshot(page, `message-actions-${screen.slug}-${text.split(' ')[0]}`);
      assert.deepEqual(await actionsOverlap(page), { covered: [], outside: false }, `actions of "${text}"`);
    }
    await page.context().close();
  });
}

test('emoji are drawn as colour pictures, not as empty boxes', async () => {
  const page = await dialogWithBob(SCREENS[0]);
  const text = messageItem(page, 'Where is the plan?').getByText('Where is the plan?');
  const drawn = await text.evaluate((element) => {
    const style = getComputedStyle(element);
    // Drawn with the text's own fonts: a colour font gives coloured pixels, a missing one a grey box.
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const context = canvas.getContext('2d')!;
    context.font = `48px ${style.fontFamily}`;
    context.textBaseline = 'top';
    context.fillText('🤔', 4, 4);
    const pixels = context.getImageData(0, 0, 64, 64).data;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
    }
    return { fontFamily: style.fontFamily, coloured };
  });
  assert.match(drawn.fontFamily, /Noto Color Emoji/, 'the font stack names the emoji font');
  assert.ok(
    drawn.coloured > 200,
    `the emoji is drawn in colour (${drawn.coloured} coloured pixels); install fonts-noto-color-emoji`,
  );
  await page.context().close();
});

test('a colleague who has never been connected shows as offline; with the portal open, as online', async () => {
  const alice = await dialogWithBob(SCREENS[0]);
  const presence = alice.getByRole('region', { name: 'Conversation' }).getByTestId('presence');
  await presence.waitFor();
  assert.equal((await presence.textContent())?.trim(), 'offline', 'Bob has only ever used REST, never been online');

  const bob = await acme.signedIn('bob', '/');
  // Once the portal counts Bob's page as connected, Alice opens the dialog again.
  const asker = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await asker.signIn('alice', MESSENGER_PASSWORD)).status, 200);
  for (let tries = 0; tries < 50; tries++) {
    const bobNow = await asker.rest('im.user.get', { ID: acme.users.bob!.id });
    if ((bobNow.body.result as { last_activity_date: unknown }).last_activity_date) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await alice.getByRole('button', { name: 'New message' }).click();
  await alice
    .getByRole('listbox', { name: 'Colleagues' })
    .getByRole('option', { name: /Bob Burns/ })
    .click();
  await alice.waitForFunction(
    () => document.querySelector('[data-testid=presence]')?.textContent?.trim() === 'online',
    undefined,
    LIVE,
  );
  await saveScreenshot(alice, 'portal-web-presence-online');
  await alice.context().close();
  await bob.context().close();
});
