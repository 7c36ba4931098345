import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImRecentList, ImUserView, RestUser } from '@portaldesk/protocol';
import sharp from 'sharp';
import {
  type MessengerTestKit,
  startMessengerTestKit,
  type TestUser,
} from '../messenger/testing/messenger-test-kit.ts';
import { leakedSecrets } from '../testing/auth-fixtures.ts';
import { bombHeader, testPicture } from '../testing/chat-file-fixtures.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** GET an address as `user` (their session cookie) on their own portal, or as nobody on acme. */
async function fetchAs(user: TestUser | null, path: string, portalDomain = user?.portal.domain ?? kit.acme.domain) {
  const headers = user ? kit.desktopOf(user).cookieHeader() : {};
  const res = await kit.server.fetch(`${kit.server.portalUrl(portalDomain)}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const imUser = async (viewer: TestUser, id: number) =>
  ((await kit.call(viewer, 'im.user.get', { ID: id })).result as ImUserView).avatar;

describe("a person's photo", () => {
  test('Alice sets her photo with user.update: a 256-pixel square without metadata, shown to people of her portal', async () => {
    const { alice, bob } = kit;
    // A wide JPEG with a camera note: the stored photo is its middle, square, and says nothing of the camera.
    const original = await sharp(await testPicture(1200, 600, 'jpeg'))
      .withMetadata({ exif: { IFD0: { Copyright: 'secret-camera-owner' } } })
      .jpeg()
      .toBuffer();
    const set = await kit.call(alice, 'user.update', { ID: alice.id, PERSONAL_PHOTO: ['me.jpg', base64(original)] });
    assert.equal(set.result, true);

    const avatar = await imUser(bob, alice.id);
    assert.match(avatar, new RegExp(`^/photo/user/${alice.id}/[A-Za-z0-9_-]{32}$`));
    const photo = await fetchAs(bob, avatar);
    assert.equal(photo.status, 200);
    assert.equal(photo.type, 'image/webp');
    const meta = await sharp(photo.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 256, 256]);
    assert.equal(meta.exif, undefined);
    assert.ok(!photo.bytes.includes(Buffer.from('secret-camera-owner')));
    const png = await fetchAs(bob, `${avatar}.png`);
    assert.equal(png.type, 'image/png');
    assert.deepEqual((await sharp(png.bytes).metadata()).format, 'png');

    // Where Bitrix24 shows it: user.current / user.get (absolute), and the messenger's own views.
    const current = (await kit.call(alice, 'user.current')).result as RestUser;
    assert.ok(current.PERSONAL_PHOTO?.endsWith(avatar), current.PERSONAL_PHOTO);
    const listed = (await kit.call(bob, 'user.get', { ID: alice.id })).result as RestUser[];
    assert.equal(listed[0]?.PERSONAL_PHOTO, current.PERSONAL_PHOTO);
    await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'hello with a face' });
    const recent = (await kit.call(bob, 'im.recent.list')).result as ImRecentList;
    const item = recent.items.find((i) => i.id === alice.id);
    assert.equal(item?.avatar.url, avatar);
    assert.equal(item?.user?.avatar, avatar);
    const history = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: alice.id })).result as ImDialogMessages;
    assert.equal(history.users.find((u) => u.id === alice.id)?.avatar, avatar);
  });

  test('only people signed in on the same portal fetch it; a guessed or old key gets "not found"', async () => {
    const { alice, bob, dave } = kit;
    await kit.call(alice, 'user.update', {
      ID: alice.id,
      PERSONAL_PHOTO: ['a.png', base64(await testPicture(64, 64))],
    });
    const avatar = await imUser(bob, alice.id);
    assert.equal((await fetchAs(bob, avatar)).status, 200);
    assert.equal((await fetchAs(null, avatar)).status, 401);
    // Dave of Globex, at acme's address with his own cookie, and at his own portal's address.
    assert.equal((await fetchAs(dave, avatar, kit.acme.domain)).status, 401);
    assert.equal((await fetchAs(dave, avatar)).status, 404);
    const guessed = avatar.replace(/[^/]+$/, 'A'.repeat(32));
    assert.equal((await fetchAs(bob, guessed)).status, 404);
    // A new photo gets a new address; the old one stops answering.
    await kit.call(alice, 'user.update', {
      ID: alice.id,
      PERSONAL_PHOTO: ['b.png', base64(await testPicture(80, 40))],
    });
    const next = await imUser(bob, alice.id);
    assert.notEqual(next, avatar);
    assert.equal((await fetchAs(bob, avatar)).status, 404);
    assert.equal((await fetchAs(bob, next)).status, 200);
    const keys = [avatar, next].map((a) => a.split('/').pop() ?? '');
    // The request's log line is written once its answer is sent: wait for it, then look.
    const logged = () => kit.server.logs.some((line) => line.includes(`/photo/user/${alice.id}/:key`));
    for (let tries = 0; tries < 50 && !logged(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(logged(), 'the photo address is logged with its key left out');
    assert.deepEqual(leakedSecrets(kit.server, keys), [], 'no photo key is logged');
  });

  test('removing the photo: an empty PERSONAL_PHOTO; the monogram comes back and the address stops answering', async () => {
    const { bob } = kit;
    await kit.call(bob, 'user.update', { ID: bob.id, PERSONAL_PHOTO: ['b.png', base64(await testPicture(32, 32))] });
    const avatar = await imUser(bob, bob.id);
    assert.notEqual(avatar, '');
    assert.equal((await kit.call(bob, 'user.update', { ID: bob.id, PERSONAL_PHOTO: '' })).result, true);
    assert.equal(await imUser(bob, bob.id), '');
    assert.equal(((await kit.call(bob, 'user.current')).result as RestUser).PERSONAL_PHOTO, undefined);
    assert.equal((await fetchAs(bob, avatar)).status, 404);
  });

  test("nobody changes someone else's photo (not an administrator); other fields are refused, not ignored", async () => {
    const { alice, bob } = kit;
    const before = await imUser(bob, alice.id);
    const picture = ['x.png', base64(await testPicture(16, 16))];
    assert.deepEqual(await kit.fail(bob, 'user.update', { ID: alice.id, PERSONAL_PHOTO: picture }), {
      code: 'ACCESS_DENIED',
      status: 403,
    });
    assert.equal((await kit.fail(alice, 'user.update', { ID: alice.id, NAME: 'Mallory' })).code, 'ERROR_ARGUMENT');
    assert.equal(await imUser(bob, alice.id), before);
  });
});

describe('bad pictures get a clear error and change nothing', () => {
  const refusals: [string, () => Promise<Uint8Array>][] = [
    ['text, not a picture', async () => Buffer.from('just some text, not a picture at all')],
    ['a PDF', async () => Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF')],
    [
      'a truncated picture',
      async () => {
        const whole = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#f00' } })
          .png({ compressionLevel: 0 })
          .toBuffer();
        return whole.subarray(0, Math.floor(whole.length / 2));
      },
    ],
    ['a 50,000 × 50,000 PNG header (decompression bomb)', async () => bombHeader(50_000, 50_000)],
  ];
  for (const [what, bytes] of refusals) {
    test(`${what}: AVATAR_ERROR for a person's photo and a chat's picture`, async () => {
      const { alice, bob } = kit;
      const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id], TITLE: `Bad ${what}` })).result as number;
      const photoBefore = await imUser(bob, alice.id);
      const content = base64(await bytes());
      const photo = await kit.fail(alice, 'user.update', { ID: alice.id, PERSONAL_PHOTO: ['p.png', content] });
      assert.deepEqual(photo, { code: 'AVATAR_ERROR', status: 400 });
      const chat = await kit.fail(alice, 'im.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: content });
      assert.deepEqual(chat, { code: 'AVATAR_ERROR', status: 400 });
      assert.equal(await imUser(bob, alice.id), photoBefore);
      assert.equal(await chatAvatarOf(bob, chatId), '');
    });
  }

  test('not Base64 at all, and the error says what is wrong', async () => {
    const { alice } = kit;
    const res = await kit.desktopOf(alice).rest('user.update', { ID: alice.id, PERSONAL_PHOTO: ['p.png', '%%%'] });
    assert.equal(res.status, 400);
    assert.match(
      String((res.body as { error_description?: string }).error_description),
      /PERSONAL_PHOTO is not valid Base64/,
    );
  });
});

async function chatAvatarOf(viewer: TestUser, chatId: number): Promise<string> {
  const recent = (await kit.call(viewer, 'im.recent.list')).result as ImRecentList;
  const item = recent.items.find((i) => i.chat_id === chatId);
  assert.ok(item, `chat ${chatId} is in the list`);
  assert.equal(item.chat?.avatar, item.avatar.url);
  return item.avatar.url;
}

describe("a group chat's picture (im.chat.updateAvatar)", () => {
  test('a member changes it: every member hears chatAvatar live, sees a system message and the picture', async () => {
    const { alice, bob, carol } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id], TITLE: 'Pictures' })).result as number;
    const mark = await kit.mark(alice);
    const set = await kit.call(bob, 'im.chat.updateAvatar', {
      CHAT_ID: chatId,
      AVATAR: base64(await testPicture(300, 200)),
    });
    assert.equal(set.result, true);
    const avatar = await chatAvatarOf(alice, chatId);
    assert.match(avatar, new RegExp(`^/photo/chat/${chatId}/[A-Za-z0-9_-]{32}$`));
    const events = await kit.eventsSince(alice, mark);
    const live = events.find((e) => e.command === 'chatAvatar');
    assert.deepEqual(live?.params, { chatId, dialogId: `chat${chatId}`, avatar });
    const message = events.find((e) => e.command === 'messageChat');
    assert.match(String((message?.params.message as { text: string } | undefined)?.text), /changed the chat picture/);
    const picture = await fetchAs(alice, avatar);
    assert.equal(picture.status, 200);
    const meta = await sharp(picture.bytes).metadata();
    assert.deepEqual([meta.width, meta.height], [256, 256]);
    // Carol is not a member of this closed chat: neither the picture nor the change are hers.
    assert.equal((await fetchAs(carol, avatar)).status, 404);
    assert.deepEqual(
      await kit.fail(carol, 'im.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: base64(await testPicture(8, 8)) }),
      {
        code: 'ACCESS_DENIED',
        status: 403,
      },
    );
    assert.equal(await chatAvatarOf(alice, chatId), avatar);
  });

  test('a one-to-one dialog has no picture of its own; unknown chats and missing ids get the documented codes', async () => {
    const { alice, bob, dave } = kit;
    await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'hi' });
    const recent = (await kit.call(alice, 'im.recent.list')).result as ImRecentList;
    const dialogChat = recent.items.find((i) => i.id === bob.id)?.chat_id ?? 0;
    const picture = base64(await testPicture(8, 8));
    assert.equal(
      (await kit.fail(alice, 'im.chat.updateAvatar', { CHAT_ID: dialogChat, AVATAR: picture })).code,
      'ACCESS_ERROR',
    );
    assert.equal((await kit.fail(alice, 'im.chat.updateAvatar', { AVATAR: picture })).code, 'CHAT_ID_EMPTY');
    assert.equal(
      (await kit.fail(alice, 'im.chat.updateAvatar', { CHAT_ID: 99_999, AVATAR: picture })).code,
      'WRONG_REQUEST',
    );
    // A chat of another portal is as unknown as one that does not exist.
    const globexChat = (await kit.call(dave, 'im.chat.add', { USERS: [], TITLE: 'Globex only' })).result as number;
    assert.equal(
      (await kit.fail(alice, 'im.chat.updateAvatar', { CHAT_ID: globexChat, AVATAR: picture })).code,
      'WRONG_REQUEST',
    );
  });
});
