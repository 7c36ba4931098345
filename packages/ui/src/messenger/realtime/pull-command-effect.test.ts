import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullCommandEffect } from './pull-command-effect.ts';

const READER = 7;

test('a group chat message goes to chat<N> with its counter', () => {
  const effect = pullCommandEffect(
    'messageChat',
    {
      chatId: 5,
      dialogId: 'chat5',
      counter: 3,
      message: { id: 100, chatId: 5, senderId: 2, recipientId: 'chat5', date: '2026-01-01T00:00:00Z', text: 'hi' },
      users: { 2: { id: 2, name: 'Anna' } },
      chat: { 5: { name: 'Team' } },
    },
    READER,
  );
  assert.deepEqual(effect, {
    kind: 'message',
    dialogId: 'chat5',
    counter: 3,
    message: { id: 100, chat_id: 5, author_id: 2, date: '2026-01-01T00:00:00Z', text: 'hi' },
    authorName: 'Anna',
    title: 'Team',
  });
});

test('a one-to-one message is filed under the other person, whoever sent it', () => {
  const base = { chatId: 9, counter: 1, message: { id: 1, date: '2026-01-01T00:00:00Z', text: 'x' } };
  const received = pullCommandEffect(
    'message',
    { ...base, message: { ...base.message, senderId: 2, recipientId: '7' } },
    READER,
  );
  const sent = pullCommandEffect(
    'message',
    { ...base, message: { ...base.message, senderId: 7, recipientId: '2' } },
    READER,
  );
  assert.equal(received?.kind === 'message' && received.dialogId, '2');
  assert.equal(sent?.kind === 'message' && sent.dialogId, '2');
});

test("the reader's own message keeps the dialog titled with the other person", () => {
  const users = { 2: { name: 'Anna' }, 7: { name: 'Reader Self' } };
  const message = { id: 1, date: '2026-01-01T00:00:00Z', text: 'x' };
  const sent = pullCommandEffect(
    'message',
    { chatId: 9, users, message: { ...message, senderId: 7, recipientId: '2' } },
    READER,
  );
  const received = pullCommandEffect(
    'message',
    { chatId: 9, users, message: { ...message, senderId: 2, recipientId: '7' } },
    READER,
  );
  assert.equal(sent?.kind === 'message' && sent.title, 'Anna');
  assert.equal(sent?.kind === 'message' && sent.authorName, 'Reader Self');
  assert.equal(received?.kind === 'message' && received.title, 'Anna');
});

test('read and typing commands', () => {
  assert.deepEqual(
    pullCommandEffect('readMessageChat', { dialogId: 'chat5', chatId: 5, lastId: 9, counter: 0 }, READER),
    {
      kind: 'read',
      dialogId: 'chat5',
      counter: 0,
    },
  );
  assert.deepEqual(pullCommandEffect('startWriting', { dialogId: '7', userId: 2, userName: 'Anna' }, READER), {
    kind: 'typing',
    dialogId: '2',
    userId: 2,
    name: 'Anna',
  });
  assert.equal(pullCommandEffect('startWriting', { dialogId: '2', userId: READER, userName: 'Me' }, READER), null);
});

test('unknown commands and malformed params mean nothing', () => {
  assert.equal(pullCommandEffect('chatRename', {}, READER), null);
  assert.equal(pullCommandEffect('messageChat', { chatId: 'x' }, READER), null);
  assert.equal(pullCommandEffect('message', null, READER), null);
});

test('group chat membership: the reader joining or leaving is told apart from others', () => {
  const added = (newUsers: number[]) =>
    pullCommandEffect('chatUserAdd', { chatId: 5, chatTitle: 'Team', chatOwner: 9, newUsers, users: {} }, READER);
  assert.deepEqual(added([READER, 9]), {
    kind: 'chatUserAdd',
    dialogId: 'chat5',
    title: 'Team',
    owner: 9,
    joined: true,
  });
  assert.deepEqual(added([9]), { kind: 'chatUserAdd', dialogId: 'chat5', title: 'Team', owner: 9, joined: false });
  assert.deepEqual(pullCommandEffect('chatUserLeave', { chatId: 5, userId: READER }, READER), {
    kind: 'chatUserLeave',
    dialogId: 'chat5',
    userId: READER,
    gone: true,
  });
  assert.equal(pullCommandEffect('chatUserLeave', { chatId: 5, userId: 9 }, READER)?.kind, 'chatUserLeave');
  assert.equal(pullCommandEffect('chatUserLeave', { chatId: 'x' }, READER), null);
});

test("a chat's new picture names the chat and the picture's address; a malformed one is ignored", () => {
  assert.deepEqual(
    pullCommandEffect('chatAvatar', { chatId: 5, dialogId: 'chat5', avatar: '/photo/chat/5/k' }, READER),
    {
      kind: 'chatAvatar',
      dialogId: 'chat5',
      avatar: '/photo/chat/5/k',
    },
  );
  assert.equal(pullCommandEffect('chatAvatar', { chatId: 5 }, READER), null);
});

test('an edit and a deletion name the message, its new text and flags; a deletion carries the counter', () => {
  // As the server sends them to user 5 about a message in their dialog with user 9.
  const base = { id: 40, type: 'private', chatId: 3, dialogId: 9, senderId: 9, fromUserId: 9, toUserId: 5 };
  assert.deepEqual(pullCommandEffect('messageUpdate', { ...base, text: 'fixed', params: { IS_EDITED: 'Y' } }, 5), {
    kind: 'changed',
    dialogId: '9',
    messageId: 40,
    text: 'fixed',
    params: { IS_EDITED: 'Y' },
  });
  assert.deepEqual(
    pullCommandEffect(
      'messageDelete',
      {
        ...base,
        type: 'chat',
        dialogId: 'chat3',
        text: 'This message has been deleted.',
        params: { IS_DELETED: 'Y' },
        counter: 2,
      },
      5,
    ),
    {
      kind: 'changed',
      dialogId: 'chat3',
      messageId: 40,
      text: 'This message has been deleted.',
      params: { IS_DELETED: 'Y' },
      counter: 2,
    },
  );
  // Bitrix24 writes empty params as [].
  const plain = pullCommandEffect('messageUpdate', { ...base, text: 'x', params: [] }, 5);
  assert.deepEqual(plain && plain.kind === 'changed' ? plain.params : null, {});
  assert.equal(pullCommandEffect('messageUpdate', { ...base, id: 'x' }, 5), null);
  assert.equal(pullCommandEffect('messageDelete', { ...base, dialogId: '<b>' }, 5), null);
});

test('a message whose file was deleted names the message and the files it keeps', () => {
  const update = { id: 40, type: 'private', chatId: 3, dialogId: 9, params: { FILE_ID: [12] } };
  assert.deepEqual(pullCommandEffect('messageParamsUpdate', update, 5), {
    kind: 'paramsChanged',
    dialogId: '9',
    messageId: 40,
    params: { FILE_ID: [12] },
  });
  assert.equal(pullCommandEffect('messageParamsUpdate', { ...update, dialogId: '<b>' }, 5), null);
  assert.equal(pullCommandEffect('messageParamsUpdate', { ...update, id: 'x' }, 5), null);
});

test("the other side's read names the dialog as the reader sees it and how far it was read", () => {
  // User 9 read their dialog with user 5 up to message 40; user 5 is told.
  const read = { dialogId: 9, chatId: 3, userId: 9, userName: 'Nine', lastId: 40, date: '', viewedMessages: [40] };
  assert.deepEqual(pullCommandEffect('readMessageOpponent', read, 5), {
    kind: 'opponentRead',
    dialogId: '9',
    lastId: 40,
  });
  assert.deepEqual(pullCommandEffect('readMessageChatOpponent', { ...read, dialogId: 'chat3' }, 5), {
    kind: 'opponentRead',
    dialogId: 'chat3',
    lastId: 40,
  });
  assert.equal(pullCommandEffect('readMessageOpponent', { ...read, lastId: 'x' }, 5), null);
});

test('a live answer keeps the message it answers; a REPLY_ID that is not an id is a plain message', () => {
  const base = { chatId: 9, counter: 1 };
  const message = { id: 12, senderId: 2, recipientId: '7', date: '2026-01-01T00:00:00Z', text: 'yes' };
  const answer = pullCommandEffect('message', { ...base, message: { ...message, params: { REPLY_ID: 11 } } }, READER);
  assert.deepEqual(answer?.kind === 'message' && answer.message.params, { REPLY_ID: 11 });
  for (const params of [{ REPLY_ID: 'x' }, [], undefined]) {
    const plain = pullCommandEffect('message', { ...base, message: { ...message, params } }, READER);
    assert.equal(plain?.kind === 'message' && plain.message.id, 12, 'still delivered');
    assert.equal(plain?.kind === 'message' && plain.message.params, undefined);
  }
});
