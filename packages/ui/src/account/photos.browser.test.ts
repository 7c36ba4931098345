import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { test } from 'node:test';
import { TestDesktop, testPicture } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import { PHONE_390_VIEWPORT, saveScreenshot } from '../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../testing/messenger-portal.ts';

const LIVE = { timeout: 10_000 };
let groupChatId = 0;

const portal = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async (fixture) => {
    // Alice has written to Bob, and both are in a group chat.
    const alice = new TestDesktop(fixture.server, 'acme.localhost');
    assert.equal((await alice.signIn('alice', MESSENGER_PASSWORD)).status, 200);
    await alice.rest('im.message.add', { DIALOG_ID: fixture.users.bob?.id, MESSAGE: 'Hi Bob, new photo soon' });
    const chat = await alice.rest('im.chat.add', { USERS: [fixture.users.bob?.id], TITLE: 'Photo club' });
    groupChatId = chat.body.result as number;
  },
);

const { signedIn, users } = portal;

const chatRow = (page: Page, title: string) =>
  page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: new RegExp(title) });

/** Keeps a screenshot for the branch's review as well. */
async function shot(page: Page, name: string) {
  const path = await saveScreenshot(page, name);
  await copyFile(path, `/tmp/photos-shots/${basename(path)}`).catch(() => undefined);
}

const photoFile = async (name: string, width: number, height: number) => ({
  name,
  mimeType: 'image/png',
  buffer: await testPicture(width, height),
});

test('Alice sets her photo on her profile page; Bob sees it in his chat list and the history', async () => {
  const alice = await signedIn('alice');
  await alice.goto(`${portal.origin}/profile`, { waitUntil: 'networkidle' });
  const photo = alice.getByTestId('profile-photo');
  await photo.getByRole('button', { name: 'Add photo' }).waitFor();
  await alice.getByTestId('profile-photo-input').setInputFiles(await photoFile('me.png', 900, 600));
  await photo.getByRole('button', { name: 'Change photo' }).waitFor(LIVE);
  const ownSrc = await photo.locator('img').getAttribute('src');
  assert.match(ownSrc ?? '', new RegExp(`^/photo/user/${users.alice?.id}/`));
  await shot(alice, 'photos-profile-page');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);

  // A file that is not a picture: a clear message, and the photo stays.
  await alice.getByTestId('profile-photo-input').setInputFiles({
    name: 'notes.png',
    mimeType: 'image/png',
    buffer: Buffer.from('these are notes, not a picture'),
  });
  await photo.getByRole('alert').filter({ hasText: 'could not be used' }).waitFor(LIVE);
  assert.equal(await photo.locator('img').getAttribute('src'), ownSrc);

  const bob = await signedIn('bob');
  const row = chatRow(bob, 'Alice Ames');
  await row.waitFor();
  const rowPhoto = row.locator(`img[src^="/photo/user/${users.alice?.id}/"]`);
  await rowPhoto.waitFor();
  assert.ok(
    await rowPhoto.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    'the photo loads',
  );
  await row.click();
  const authorPhoto = bob.getByRole('log', { name: 'Messages' }).getByTestId('message-author-photo').first();
  await authorPhoto.waitFor();
  assert.equal(await authorPhoto.getAttribute('src'), ownSrc);
  await bob.mouse.move(0, 0);
  await shot(bob, 'photos-chat-list-and-history');
  await alice.context().close();
  await bob.context().close();
});

test('a group picture changed in the members panel shows for the other member live', async () => {
  const alice = await signedIn('alice');
  const bob = await signedIn('bob');
  await chatRow(bob, 'Photo club').waitFor();
  await chatRow(alice, 'Photo club').click();
  await alice.getByRole('button', { name: 'Members' }).click();
  await alice.getByTestId('chat-picture-input').setInputFiles(await photoFile('club.png', 400, 400));
  const bobsPicture = chatRow(bob, 'Photo club').locator(`img[src^="/photo/chat/${groupChatId}/"]`);
  await bobsPicture.waitFor(LIVE);
  assert.ok(await bobsPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
  await alice.getByTestId('chat-picture').locator(`img[src^="/photo/chat/${groupChatId}/"]`).waitFor(LIVE);
  await alice.getByRole('log', { name: 'Messages' }).getByText('Alice Ames changed the chat picture').waitFor(LIVE);
  await alice.mouse.move(0, 0);
  await shot(alice, 'photos-group-picture-members-panel');
  assert.deepEqual(await seriousAccessibilityViolations(alice), []);
  await shot(bob, 'photos-group-picture-live');
  await alice.context().close();
  await bob.context().close();
});

test('on the phone, Profile has "Change photo"', async () => {
  const phone = await signedIn('bob', '/m/', PHONE_390_VIEWPORT);
  await phone.getByRole('link', { name: 'Profile' }).click();
  await phone.getByTestId('profile-photo-input').setInputFiles(await photoFile('bob.png', 300, 500));
  await phone.getByRole('button', { name: 'Change photo' }).waitFor(LIVE);
  assert.match((await phone.getByTestId('profile-photo').locator('img').getAttribute('src')) ?? '', /^\/photo\/user\//);
  await shot(phone, 'photos-phone-profile');
  assert.deepEqual(await seriousAccessibilityViolations(phone), []);
  assert.deepEqual(await smallTouchTargets(phone), []);
  await phone.context().close();
});
