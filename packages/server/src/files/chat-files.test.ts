import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DiskFileView, DiskUploadAddress, ImDialogMessages, ImFileView } from '@portaldesk/protocol';
import sharp from 'sharp';
import { FormData } from 'undici';
import {
  type MessengerTestKit,
  startMessengerTestKit,
  type TestUser,
} from '../messenger/testing/messenger-test-kit.ts';
import { leakedSecrets } from '../testing/auth-fixtures.ts';
import { bombHeader } from '../testing/chat-file-fixtures.ts';

let kit: MessengerTestKit;
let chatId: number;
let folderId: number;
before(async () => {
  kit = await startMessengerTestKit();
  chatId = (await kit.call(kit.alice, 'im.chat.add', { USERS: [kit.bob.id], TITLE: 'Files' })).result as number;
  folderId = ((await kit.call(kit.alice, 'im.disk.folder.get', { CHAT_ID: chatId })).result as { ID: number }).ID;
});
after(() => kit.close());

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#2fc6f6' } })
    .png()
    .withMetadata({ exif: { IFD0: { Copyright: 'secret-camera-owner' } } })
    .toBuffer();

/** The documented two-step form: ask for an address, then post the file to it as multipart. */
async function uploadTwoStep(user: TestUser, folder: number, name: string, bytes: Uint8Array) {
  const address = (await kit.call(user, 'disk.folder.uploadfile', { id: folder })).result as DiskUploadAddress;
  assert.equal(address.field, 'file');
  const form = new FormData();
  form.append(address.field, new Blob([Buffer.from(bytes)]), name);
  const res = await kit.server.fetch(address.uploadUrl, { method: 'POST', body: form });
  return {
    status: res.status,
    body: (await res.json()) as { result?: DiskFileView; error?: string; error_description?: string },
  };
}

/** The one-step form: the contents as Base64 in the call. */
const uploadBase64 = (user: TestUser, folder: number, name: string, bytes: Uint8Array) =>
  kit.call(user, 'disk.folder.uploadfile', {
    id: folder,
    data: { NAME: name },
    fileContent: [name, Buffer.from(bytes).toString('base64')],
  });

/** GET a file address as `user` (their session cookie), or as nobody. */
async function fetchAs(user: TestUser | null, path: string) {
  const headers = user ? kit.desktopOf(user).cookieHeader() : {};
  const res = await kit.server.fetch(`${kit.server.portalUrl(kit.acme.domain)}${path}`, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    disposition: res.headers.get('content-disposition'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

const fileIdsOf = (message: { params?: unknown } | undefined) => (message?.params as { FILE_ID?: number[] })?.FILE_ID;

async function storedBodies(): Promise<string[]> {
  const root = kit.server.context.chatFiles.incomingDir.replace(/[/\\]incoming$/, '');
  const found: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(join(dir, entry.name));
    }
  };
  await walk(root);
  return found.sort();
}

describe('files in a chat', () => {
  test('upload (two steps), commit with a message: members get it live with its files, and in the history', async () => {
    const { alice, bob } = kit;
    const picture = await png(800, 600);
    const uploaded = await uploadTwoStep(alice, folderId, 'photo.png', picture);
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    const file = uploaded.body.result as DiskFileView;
    assert.equal(file.NAME, 'photo.png');
    assert.equal(file.SIZE, String(picture.length));
    assert.equal(file.PARENT_ID, folderId);
    // Not posted yet: the uploader may fetch it, the other member may not.
    const downloadPath = new URL(file.DOWNLOAD_URL).pathname;
    assert.equal((await fetchAs(alice, downloadPath)).status, 200);
    assert.equal((await fetchAs(bob, downloadPath)).status, 404);

    const mark = await kit.mark(bob);
    assert.equal(
      (await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID, MESSAGE: 'The view' }))
        .result,
      true,
    );
    const [event] = (await kit.eventsSince(bob, mark)).filter((e) => e.command === 'messageChat');
    const params = event?.params as { message: { text: string; params: { FILE_ID: number[] } }; files: ImFileView[] };
    assert.equal(params.message.text, 'The view');
    assert.deepEqual(params.message.params.FILE_ID, [file.ID]);
    const [live] = params.files;
    assert.equal(live?.type, 'image');
    assert.deepEqual(live?.image, { width: 800, height: 600 });
    assert.equal(live?.mimeType, 'image/png');
    assert.equal(live?.authorName, 'Alice Archer');

    const history = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }))
      .result as ImDialogMessages;
    assert.deepEqual(
      history.files.map((f) => f.id),
      [file.ID],
    );
    const shown = history.files[0] as ImFileView;
    const full = await fetchAs(bob, shown.urlShow);
    assert.equal(full.status, 200);
    assert.equal(full.type, 'image/png');
    assert.deepEqual(full.bytes, picture);
    const preview = await fetchAs(bob, shown.urlPreview);
    assert.equal(preview.type, 'image/webp');
    const previewMeta = await sharp(preview.bytes).metadata();
    assert.equal(previewMeta.width, 800);
    assert.equal(previewMeta.exif, undefined, 'the preview carries none of the original metadata');
    assert.equal((await fetchAs(bob, shown.urlDownload)).disposition, "attachment; filename*=UTF-8''photo.png");
  });

  test('a large picture gets a preview bounded to 1280 pixels, and keeps its real size in the listing', async () => {
    const { alice } = kit;
    const file = (await uploadBase64(alice, folderId, 'wide.png', await png(3000, 1000))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: [file.ID] });
    const history = (await kit.call(alice, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    const view = history.files[0] as ImFileView;
    assert.deepEqual(view.image, { width: 3000, height: 1000 });
    const preview = await sharp((await fetchAs(alice, view.urlPreview)).bytes).metadata();
    assert.deepEqual([preview.width, preview.height], [1280, 427]);
  });

  test('other files are cards: type from the bytes, always downloaded, never shown as a page', async () => {
    const { alice, bob } = kit;
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const file = (await uploadBase64(alice, folderId, 'notes.html', html)).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID });
    const history = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    const view = history.files[0] as ImFileView;
    assert.equal(view.type, 'file');
    assert.equal(view.image, false);
    assert.equal(view.urlPreview, '');
    const shown = await fetchAs(bob, view.urlShow);
    assert.equal(shown.type, 'application/octet-stream');
    assert.match(shown.disposition ?? '', /^attachment/);
  });

  test('the same bytes sent twice are stored once', async () => {
    const { alice } = kit;
    const bytes = Buffer.from('same report contents');
    const before = await storedBodies();
    const first = (await uploadBase64(alice, folderId, 'a.txt', bytes)).result as DiskFileView;
    const second = (await uploadBase64(alice, folderId, 'b.txt', bytes)).result as DiskFileView;
    assert.notEqual(first.ID, second.ID);
    assert.equal((await storedBodies()).length, before.length + 1);
  });

  test('generateUniqueName gives a repeated name a number', async () => {
    const { alice } = kit;
    const named = async () =>
      (
        (
          await kit.call(alice, 'disk.folder.uploadfile', {
            id: folderId,
            data: { NAME: 'plan.txt' },
            fileContent: ['plan.txt', Buffer.from('plan').toString('base64')],
            generateUniqueName: true,
          })
        ).result as DiskFileView
      ).NAME;
    assert.equal(await named(), 'plan.txt');
    assert.equal(await named(), 'plan (1).txt');
  });
});

describe('who may see and fetch a file', () => {
  test('a non-member, a user of another portal and a guessed key all get the same "not found"', async () => {
    const { alice, bob, carol, dave } = kit;
    const file = (await uploadBase64(alice, folderId, 'secret.txt', Buffer.from('plans'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID });
    const path = new URL(file.DOWNLOAD_URL).pathname;
    assert.equal((await fetchAs(bob, path)).status, 200);
    assert.equal((await fetchAs(carol, path)).status, 404);
    assert.equal((await fetchAs(null, path)).status, 401);
    const other = await kit.server.fetch(`${kit.server.portalUrl(kit.globex.domain)}${path}`, {
      headers: kit.desktopOf(dave).cookieHeader(),
    });
    assert.equal(other.status, 404);
    const guessedKey = path.replace(/\/disk\/file\/(\d+)\/[^/]+\//, '/disk/file/$1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/');
    assert.equal((await fetchAs(bob, guessedKey)).status, 404);
    const nextId = path.replace(/\/disk\/file\/(\d+)\//, (_m, id: string) => `/disk/file/${Number(id) + 1000}/`);
    assert.equal((await fetchAs(bob, nextId)).status, 404);
    // Carol is not a member: the chat's folder, its history and its files are closed to her.
    assert.equal((await kit.fail(carol, 'im.disk.folder.get', { CHAT_ID: chatId })).code, 'ACCESS_ERROR');
    assert.equal(
      (await kit.fail(carol, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).code,
      'ACCESS_ERROR',
    );
    const upload = await kit.fail(carol, 'disk.folder.uploadfile', { id: folderId });
    assert.deepEqual(upload, { code: 'ERROR_NOT_FOUND', status: 400 });
    assert.equal(
      (await kit.fail(carol, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID })).code,
      'ACCESS_ERROR',
    );
  });

  test('a member who leaves loses access at once; one added later does not see earlier files', async () => {
    const { alice, bob, carol } = kit;
    const room = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id], TITLE: 'Room' })).result as number;
    const folder = ((await kit.call(alice, 'im.disk.folder.get', { CHAT_ID: room })).result as { ID: number }).ID;
    const file = (await uploadBase64(alice, folder, 'early.txt', Buffer.from('early'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: room, UPLOAD_ID: file.ID });
    const path = new URL(file.DOWNLOAD_URL).pathname;
    assert.equal((await fetchAs(bob, path)).status, 200);
    await kit.call(alice, 'im.chat.user.delete', { CHAT_ID: room, USER_ID: bob.id });
    assert.equal((await fetchAs(bob, path)).status, 404);
    await kit.call(alice, 'im.chat.user.add', { CHAT_ID: room, USERS: [carol.id], HIDE_HISTORY: 'Y' });
    assert.equal((await fetchAs(carol, path)).status, 404);
  });

  test("someone else's upload cannot be posted; a posted file cannot be posted twice", async () => {
    const { alice, bob } = kit;
    const file = (await uploadBase64(alice, folderId, 'mine.txt', Buffer.from('mine'))).result as DiskFileView;
    assert.equal(
      (await kit.fail(bob, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID })).code,
      'FILES_ERROR',
    );
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID });
    assert.equal(
      (await kit.fail(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID })).code,
      'FILES_ERROR',
    );
  });

  test('an upload address works once', async () => {
    const { alice } = kit;
    const address = (await kit.call(alice, 'disk.folder.uploadfile', { id: folderId })).result as DiskUploadAddress;
    const send = async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('once')]), 'once.txt');
      return (await kit.server.fetch(address.uploadUrl, { method: 'POST', body: form })).status;
    };
    assert.equal(await send(), 200);
    assert.equal(await send(), 401);
    const token = new URL(address.uploadUrl).searchParams.get('token') ?? '';
    const file = (await uploadBase64(alice, folderId, 'logged.txt', Buffer.from('logged'))).result as DiskFileView;
    assert.equal((await fetchAs(alice, new URL(file.DOWNLOAD_URL).pathname)).status, 200);
    const key = new URL(file.DOWNLOAD_URL).pathname.split('/')[4] ?? '';
    assert.ok(token.length > 20 && key.length > 20);
    assert.deepEqual(leakedSecrets(kit.server, [token, key]), [], 'neither the upload token nor a file key is logged');
    // The request's log line is written once its answer is sent: it may come a moment after.
    const logged = () => kit.server.logs.some((line) => line.includes(`/disk/file/${file.ID}/:key/download`));
    for (let tries = 0; tries < 50 && !logged(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(logged(), 'the file address is logged with its key left out');
  });

  test('im.disk.file.delete: the uploader removes a file; its addresses stop answering; others may not', async () => {
    const { alice, bob } = kit;
    const file = (await uploadBase64(alice, folderId, 'old.txt', Buffer.from('old version'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID });
    assert.equal(
      (await kit.fail(bob, 'im.disk.file.delete', { CHAT_ID: chatId, DISK_ID: file.ID })).code,
      'FILE_ID_EMPTY',
    );
    assert.equal((await kit.call(alice, 'im.disk.file.delete', { CHAT_ID: chatId, DISK_ID: file.ID })).result, true);
    assert.equal((await fetchAs(bob, new URL(file.DOWNLOAD_URL).pathname)).status, 404);
    assert.equal((await kit.fail(alice, 'im.disk.file.delete', { CHAT_ID: chatId })).code, 'FILE_ID_EMPTY');
    assert.equal((await kit.fail(alice, 'im.disk.file.delete', { DISK_ID: file.ID })).code, 'CHAT_ID_EMPTY');
  });

  test('a deleted file leaves its message at once for every member: messageParamsUpdate with the files still there', async () => {
    const { alice, bob } = kit;
    const first = (await uploadBase64(alice, folderId, 'a.txt', Buffer.from('first'))).result as DiskFileView;
    const second = (await uploadBase64(alice, folderId, 'b.txt', Buffer.from('second'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', {
      CHAT_ID: chatId,
      UPLOAD_ID: [first.ID, second.ID],
      MESSAGE: 'Both',
    });
    const before = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    const message = before.messages[0];
    assert.deepEqual(fileIdsOf(message), [first.ID, second.ID]);

    const mark = await kit.mark(bob);
    await kit.call(alice, 'im.disk.file.delete', { CHAT_ID: chatId, DISK_ID: first.ID });
    const [event] = (await kit.eventsSince(bob, mark)).filter((e) => e.command === 'messageParamsUpdate');
    assert.deepEqual(event?.params, {
      id: message?.id,
      type: 'chat',
      chatId,
      dialogId: `chat${chatId}`,
      params: { FILE_ID: [second.ID] },
    });
    const after = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    assert.deepEqual(fileIdsOf(after.messages[0]), [second.ID]);
    assert.equal(after.messages[0]?.text, 'Both', 'the text stays');
    assert.deepEqual(
      after.files.map((f) => f.id),
      [second.ID],
    );
  });

  test('deleting the message takes its files with it', async () => {
    const { alice, bob } = kit;
    const file = (await uploadBase64(alice, folderId, 'draft.txt', Buffer.from('draft'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: file.ID });
    const history = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    const [message] = history.messages;
    assert.ok(message);
    const path = new URL(file.DOWNLOAD_URL).pathname;
    assert.equal((await fetchAs(bob, path)).status, 200);
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: message.id });
    assert.equal((await fetchAs(bob, path)).status, 404);
    const after = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 }))
      .result as ImDialogMessages;
    assert.deepEqual(after.files, []);
  });

  test('missing parameters get the documented codes', async () => {
    const { alice } = kit;
    assert.equal((await kit.fail(alice, 'im.disk.folder.get', {})).code, 'CHAT_ID_EMPTY');
    assert.equal((await kit.fail(alice, 'im.disk.file.commit', { UPLOAD_ID: 1 })).code, 'CHAT_ID_EMPTY');
    assert.equal((await kit.fail(alice, 'im.disk.file.commit', { CHAT_ID: chatId })).code, 'FILES_ERROR');
    assert.equal((await kit.fail(alice, 'disk.folder.uploadfile', {})).code, 'ERROR_ARGUMENT');
    assert.equal(
      (await kit.fail(alice, 'disk.folder.uploadfile', { id: folderId, fileContent: ['x.txt', 'not base64!'] })).code,
      'ERROR_ARGUMENT',
    );
  });

  test('a one-to-one dialog has a folder before its first message (DIALOG_ID)', async () => {
    const { carol, bob } = kit;
    const folder = (await kit.call(carol, 'im.disk.folder.get', { DIALOG_ID: bob.id })).result as {
      ID: number;
      CHAT_ID: number;
    };
    const file = (await uploadBase64(carol, folder.ID, 'hi.txt', Buffer.from('hi'))).result as DiskFileView;
    const mark = await kit.mark(bob);
    await kit.call(carol, 'im.disk.file.commit', { CHAT_ID: folder.CHAT_ID, UPLOAD_ID: file.ID });
    const [event] = (await kit.eventsSince(bob, mark)).filter((e) => e.command === 'message');
    assert.ok(event, 'Bob hears of the message');
    const params = event.params as { dialogId: number; files: ImFileView[] };
    assert.equal(params.dialogId, carol.id);
    assert.equal(params.files[0]?.name, 'hi.txt');
  });
});

describe('bad files get a clear error and store nothing', () => {
  const refusals: [string, string, () => Promise<Uint8Array>, string][] = [
    ['an empty file', 'empty.txt', async () => new Uint8Array(0), 'FILE_EMPTY'],
    ['bytes that are not what the name says', 'invoice.pdf', async () => png(10, 10), 'FILE_TYPE_MISMATCH'],
    ['a "picture" that is text', 'cat.jpg', async () => Buffer.from('just some text'), 'FILE_TYPE_MISMATCH'],
    [
      'a program named as a document',
      'report.txt',
      async () => Buffer.from('7f454c46020101000000000000000000', 'hex'),
      'FILE_TYPE_MISMATCH',
    ],
    [
      'a truncated picture',
      'cut.png',
      async () => {
        const whole = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#f00' } })
          .png({ compressionLevel: 0 })
          .toBuffer();
        return whole.subarray(0, Math.floor(whole.length / 2));
      },
      'IMAGE_UNREADABLE',
    ],
    [
      'a 50,000 × 50,000 PNG header (decompression bomb)',
      'bomb.png',
      async () => bombHeader(50_000, 50_000),
      'IMAGE_TOO_LARGE',
    ],
  ];
  for (const [what, name, bytes, code] of refusals) {
    test(`${what}: ${code}, by either form`, async () => {
      const { alice } = kit;
      const before = await storedBodies();
      const content = await bytes();
      const twoStep = await uploadTwoStep(alice, folderId, name, content);
      assert.equal(twoStep.body.error, code, JSON.stringify(twoStep.body));
      assert.ok((twoStep.body.error_description ?? '').length > 10);
      assert.ok(twoStep.status >= 400 && twoStep.status < 500);
      if (content.length > 0)
        assert.equal((await kit.fail(alice, 'disk.folder.uploadfile', base64Params(name, content))).code, code);
      assert.deepEqual(await storedBodies(), before, 'nothing is stored, not even a half-received body');
    });
  }

  test('a file over the size limit is refused while it is still arriving', async () => {
    const { alice } = kit;
    const settings = kit.server.context.chatFiles.settings;
    const limit = settings.sizeLimit;
    settings.sizeLimit = 1000;
    try {
      const before = await storedBodies();
      const big = Buffer.alloc(5000, 7);
      const refused = await kit.fail(alice, 'disk.folder.uploadfile', base64Params('big.bin', big));
      assert.deepEqual(refused, { code: 'FILE_TOO_LARGE', status: 413 });
      const twoStep = await uploadTwoStep(alice, folderId, 'big.bin', Buffer.alloc(200_000, 7));
      assert.deepEqual([twoStep.status, twoStep.body.error], [413, 'FILE_TOO_LARGE']);
      assert.match(twoStep.body.error_description ?? '', /larger than the limit of 1000 bytes/);
      assert.deepEqual(await storedBodies(), before);
    } finally {
      settings.sizeLimit = limit;
    }
  });
});

describe('clean-up', () => {
  test('an upload never posted is removed with its body; a posted one stays', async () => {
    const { alice } = kit;
    // Uploads earlier tests left unposted go first, so that only this test's two are counted.
    await kit.server.context.chatFiles.dropUncommitted(new Date(Date.now() + 1000));
    const before = await storedBodies();
    const kept = (await uploadBase64(alice, folderId, 'kept.txt', Buffer.from('kept body'))).result as DiskFileView;
    await kit.call(alice, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: kept.ID });
    const dropped = (await uploadBase64(alice, folderId, 'dropped.txt', Buffer.from('dropped body')))
      .result as DiskFileView;
    assert.equal((await storedBodies()).length, before.length + 2);
    const removed = await kit.server.context.chatFiles.dropUncommitted(new Date(Date.now() + 1000));
    assert.equal(removed, 1);
    assert.equal((await storedBodies()).length, before.length + 1);
    assert.equal((await fetchAs(alice, new URL(dropped.DOWNLOAD_URL).pathname)).status, 404);
    assert.equal((await fetchAs(alice, new URL(kept.DOWNLOAD_URL).pathname)).status, 200);
  });
});

function base64Params(name: string, bytes: Uint8Array) {
  return { id: folderId, data: { NAME: name }, fileContent: [name, Buffer.from(bytes).toString('base64')] };
}
