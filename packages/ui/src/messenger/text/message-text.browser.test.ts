import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../../testing/messenger-portal.ts';

const WIKI = 'https://en.wikipedia.org/wiki/Bracket_(disambiguation)';
const MESSAGES = {
  widerLowerCase: 'İİİ [code]abc[/code] tail',
  picture: '[img]https://cdn.example/p.png[/img] and the words after it',
  farPictureEnd: 'look [img]https://cdn.example/q.png and [b]this[/b] too[/img] end',
  bracketLink: `see ${WIKI} now`,
  schemes: 'not javascript:alert(1) nor ftp://files.example/a but mailto:alice@example.com',
};

const { signedIn } = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    const bob = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bob.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    for (const text of Object.values(MESSAGES)) {
      const sent = await bob.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }
  },
);

const message = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text });

test('message text renders as written: tags in place after wide letters, pictures, bracketed and unsafe links', async () => {
  const page = await signedIn('alice');
  await page.getByRole('button', { name: /Bob Burns/ }).click();
  await message(page, 'but mailto:').waitFor();

  const wide = message(page, 'İİİ');
  assert.equal(await wide.locator('code').textContent(), 'abc');
  assert.match((await wide.textContent()) ?? '', /İİİ\s*abc\s*tail/);
  assert.doesNotMatch((await wide.textContent()) ?? '', /\[|\]/);

  const picture = message(page, 'and the words after it');
  assert.equal(
    await picture.getByRole('link', { name: 'Picture: cdn.example' }).getAttribute('href'),
    'https://cdn.example/p.png',
  );
  assert.equal(await picture.getByRole('link').count(), 1, 'the words after the picture are not part of it');

  const far = message(page, 'look [img]');
  assert.equal(await far.getByRole('link', { name: /^Picture/ }).count(), 0);
  assert.equal(
    await far.getByRole('link', { name: 'https://cdn.example/q.png' }).getAttribute('href'),
    'https://cdn.example/q.png',
  );
  assert.equal(await far.locator('strong').textContent(), 'this');
  assert.match((await far.textContent()) ?? '', /and this too\[\/img\] end/);

  const bracket = message(page, 'see https://en.wikipedia.org');
  assert.equal(await bracket.getByRole('link').getAttribute('href'), WIKI);
  assert.equal(await bracket.getByRole('link').textContent(), WIKI);
  assert.match((await bracket.textContent()) ?? '', /_\(disambiguation\) now/);

  const schemes = message(page, 'but mailto:');
  const hrefs = await schemes.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['mailto:alice@example.com']);

  await wide.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'portal-web-message-text');
});
