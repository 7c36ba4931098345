import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testPicture as picture, TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../../testing/accessibility.ts';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, saveScreenshot } from '../../testing/browser.ts';
import { MESSENGER_PASSWORD, messengerPortal } from '../../testing/messenger-portal.ts';

const LIVE = { timeout: 15_000 };
const acme = messengerPortal(
  [
    ['Alice', 'Ames'],
    ['Bob', 'Burns'],
  ],
  async ({ server, users }) => {
    const bobDesktop = new TestDesktop(server, 'acme.localhost');
    assert.equal((await bobDesktop.signIn('bob', MESSENGER_PASSWORD)).status, 200);
    assert.equal(
      (await bobDesktop.rest('im.message.add', { DIALOG_ID: users.alice!.id, MESSAGE: 'Send me the plan' })).status,
      200,
    );
  },
);

async function signedInWithDialog(login: string, withName: string, path = '/', viewport = DESKTOP_VIEWPORT) {
  const page = await acme.signedIn(login, path, viewport);
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(withName) })
    .click();
  return page;
}

const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** Drops files onto the dialog as a drag from the file manager would. */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  const transfer = await page.evaluateHandle(
    (list) => {
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      return data;
    },
    files.map((f) => ({ ...f, bytes: [...f.bytes] })),
  );
  const zone = page.getByTestId('dialog-drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId('drop-hint').waitFor();
  await saveScreenshot(page, 'files-drop-hint');
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

/** Pastes a picture into the message box, as Ctrl+V after copying one does. */
async function pastePicture(page: Page, bytes: Buffer) {
  await page.getByRole('textbox', { name: 'Message' }).evaluate(
    (box, data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'image.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    },
    [...bytes],
  );
}

test('a picture sent by the paperclip shows live in the other window at its size, and opens whole', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const bob = await signedInWithDialog('bob', 'Alice Ames');
  const chooser = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'office.png', mimeType: 'image/png', buffer: await picture(1600, 900) });

  // Bob did nothing: the picture arrives in his open dialog, with its place kept at 16:9.
  const image = messageLog(bob).getByTestId('message-image');
  await image.waitFor(LIVE);
  const boxSize = await image.boundingBox();
  assert.ok(boxSize);
  assert.equal(Math.round(boxSize.width), 320);
  assert.equal(Math.round(boxSize.height), 180);
  await image.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  assert.ok(await image.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth > 0), 'the preview loaded');
  await messageLog(alice).getByTestId('message-image').waitFor(LIVE);
  await bob.getByRole('navigation', { name: 'Chats' }).getByText('Picture').waitFor(LIVE);
  await saveScreenshot(bob, 'files-image-received');

  await image.click();
  const viewer = bob.getByTestId('image-viewer');
  await viewer.waitFor();
  await viewer.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  assert.equal(
    await viewer.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth),
    1600,
    'the full picture, not the preview',
  );
  await saveScreenshot(bob, 'files-image-viewer');
  assert.deepEqual(await seriousAccessibilityViolations(bob), []);
  await bob.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });

  await alice.context().close();
  await bob.context().close();
});

test('files dropped on the dialog and a pasted picture are sent; other files are cards with a download', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const bob = await signedInWithDialog('bob', 'Alice Ames');
  const plan = Buffer.from('Q3 plan: ship files and images.\n');
  await dropFiles(alice, [{ name: 'plan.txt', type: 'text/plain', bytes: plan }]);
  const card = messageLog(bob).getByTestId('file-card').filter({ hasText: 'plan.txt' });
  await card.waitFor(LIVE);
  assert.match((await card.textContent()) ?? '', /32 B/);
  const download = bob.waitForEvent('download');
  await card.getByRole('button', { name: 'Download plan.txt' }).click();
  const saved = await download;
  assert.equal(saved.suggestedFilename(), 'plan.txt');
  const path = await saved.path();
  assert.ok(path);
  const { readFile } = await import('node:fs/promises');
  assert.deepEqual(await readFile(path), plan);

  const images = messageLog(bob).getByTestId('message-image');
  const imagesBefore = await images.count();
  await pastePicture(alice, await picture(200, 300));
  const pasted = images.nth(imagesBefore);
  await pasted.waitFor(LIVE);
  const pastedBox = await pasted.boundingBox();
  assert.equal(Math.round(pastedBox?.height ?? 0), 280, 'a tall picture is bounded by height');
  assert.equal(
    (await alice.getByRole('textbox', { name: 'Message' }).textContent())?.trim(),
    '',
    'nothing pasted as text',
  );
  await saveScreenshot(bob, 'files-card-and-pasted');
  await alice.context().close();
  await bob.context().close();
});

test("a file its sender deletes leaves the other person's open dialog and chat list at once", async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const bob = await signedInWithDialog('bob', 'Alice Ames');
  // One after the other, so that the file to be deleted is the dialog's last message (the list shows it).
  const cards = messageLog(bob).getByTestId('file-card');
  await dropFiles(alice, [{ name: 'keep.txt', type: 'text/plain', bytes: Buffer.from('keep me') }]);
  await cards.filter({ hasText: 'keep.txt' }).waitFor(LIVE);
  await dropFiles(alice, [{ name: 'oops.txt', type: 'text/plain', bytes: Buffer.from('not for Bob') }]);
  await cards.filter({ hasText: 'oops.txt' }).waitFor(LIVE);

  const aliceDesktop = new TestDesktop(acme.server, 'acme.localhost');
  assert.equal((await aliceDesktop.signIn('alice', MESSENGER_PASSWORD)).status, 200);
  const bobId = acme.users.bob!.id;
  const folder = (await aliceDesktop.rest('im.disk.folder.get', { DIALOG_ID: bobId })).body as {
    result: { CHAT_ID: number };
  };
  const history = (await aliceDesktop.rest('im.dialog.messages.get', { DIALOG_ID: bobId, LIMIT: 5 })).body as {
    result: { files: { id: number; name: string }[] };
  };
  const oops = history.result.files.find((file) => file.name === 'oops.txt');
  assert.ok(oops);
  const deleted = await aliceDesktop.rest('im.disk.file.delete', { CHAT_ID: folder.result.CHAT_ID, DISK_ID: oops.id });
  assert.equal(deleted.status, 200);

  await cards.filter({ hasText: 'oops.txt' }).waitFor({ state: 'detached', ...LIVE });
  assert.equal(await cards.filter({ hasText: 'keep.txt' }).count(), 1, 'the other file stays');
  // Each dropped file went as a message of its own: the emptied one says what happened to it.
  await messageLog(bob).getByText('File deleted').waitFor();
  await bob.getByRole('navigation', { name: 'Chats' }).getByText('File deleted').waitFor();
  await saveScreenshot(bob, 'files-one-deleted');
  await alice.context().close();
  await bob.context().close();
});

test('a refused file says why and sends nothing; an upload can be cancelled', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  await messageLog(alice).getByText('Send me the plan').waitFor();
  const before = await messageLog(alice).getByRole('listitem').count();
  await dropFiles(alice, [{ name: 'holiday.png', type: 'image/png', bytes: Buffer.from('this is not a picture') }]);
  const error = alice.getByTestId('upload-error');
  await error.waitFor(LIVE);
  assert.match((await error.textContent()) ?? '', /name says \.png but the contents are not of that type/);
  await saveScreenshot(alice, 'files-refused');
  await alice.getByRole('button', { name: 'Dismiss holiday.png' }).click();
  await error.waitFor({ state: 'detached' });

  // An upload held at the server's door can be cancelled; nothing is posted.
  await alice.route('**/rest/upload.json**', () => {});
  const chooser = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'slow.txt', mimeType: 'text/plain', buffer: Buffer.from('slow') });
  await alice.getByRole('progressbar', { name: 'Sending slow.txt' }).waitFor();
  await saveScreenshot(alice, 'files-uploading');
  await alice.getByRole('button', { name: 'Cancel sending slow.txt' }).click();
  await alice.getByTestId('file-upload').waitFor({ state: 'detached' });
  assert.equal(await messageLog(alice).getByRole('listitem').count(), before);
  await alice.context().close();
});

test('on the phone a received picture fits the screen and opens whole', async () => {
  const alice = await signedInWithDialog('alice', 'Bob Burns');
  const bob = await signedInWithDialog('bob', 'Alice Ames', '/m/', PHONE_VIEWPORT);
  await messageLog(bob).getByText('Send me the plan').waitFor();
  const images = messageLog(bob).getByTestId('message-image');
  const imagesBefore = await images.count();
  const chooser = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({
    name: 'street.jpg',
    mimeType: 'image/jpeg',
    buffer: await picture(1200, 800, 'jpeg'),
  });
  const image = images.nth(imagesBefore);
  await image.waitFor(LIVE);
  assert.equal(await image.getAttribute('aria-label'), 'Open picture street.jpg');
  await image.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  const width = await bob.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE_VIEWPORT.width, 'no sideways scrolling');
  await saveScreenshot(bob, 'files-phone-image');
  await image.click();
  await bob.getByTestId('image-viewer').waitFor();
  await saveScreenshot(bob, 'files-phone-viewer');
  await bob.getByRole('button', { name: 'Close (Esc)' }).click();
  await alice.context().close();
  await bob.context().close();
});

test('the desktop chat window shows pictures and sends files through its main process', async () => {
  // Live delivery to the window is the real desktop's (desktop/src/chat/chat-window.test.ts); here
  // the picture is in the history the window loads through its bridge.
  const bob = await signedInWithDialog('bob', 'Alice Ames');
  const chooser = bob.waitForEvent('filechooser');
  await bob.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'desk.png', mimeType: 'image/png', buffer: await picture(640, 480) });
  await messageLog(bob).getByRole('button', { name: 'Open picture desk.png' }).waitFor(LIVE);
  const window = await acme.chatWindow('alice');
  await window
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Bob Burns/ })
    .click();

  // The window has no session: the picture comes through the bridge as a blob.
  const arrived = messageLog(window).getByRole('button', { name: 'Open picture desk.png' });
  await arrived.locator('img').waitFor(LIVE);
  assert.match((await arrived.locator('img').getAttribute('src')) ?? '', /^blob:/);
  assert.ok(
    await arrived.locator('img').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
  );
  await arrived.scrollIntoViewIfNeeded();
  await saveScreenshot(window, 'files-desktop-chat-window');

  const windowChooser = window.waitForEvent('filechooser');
  await window.getByRole('button', { name: 'Attach files' }).click();
  await (await windowChooser).setFiles({ name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('1. files') });
  await messageLog(bob).getByTestId('file-card').filter({ hasText: 'agenda.txt' }).waitFor(LIVE);
  await window.context().close();
  await bob.context().close();
});
