import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImMessageSearchResult } from '@portaldesk/protocol';
import { MessageReactions } from '../reactions/message-reactions.ts';
import { type MessengerTestKit, startMessengerTestKit, type TestUser } from '../testing/messenger-test-kit.ts';
import { MessageSearch } from './message-search.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const send = async (from: TestUser, dialogId: string | number, text: string) =>
  (await kit.call(from, 'im.message.add', { DIALOG_ID: dialogId, MESSAGE: text })).result as number;
const newChat = async (owner: TestUser, members: TestUser[], title: string) =>
  (await kit.call(owner, 'im.chat.add', { USERS: members.map((m) => m.id), TITLE: title })).result as number;
const searchIn = async (user: TestUser, chatId: number, text: string, extra: Record<string, unknown> = {}) =>
  (await kit.call(user, 'im.dialog.messages.search', { CHAT_ID: chatId, SEARCH_MESSAGE: text, ...extra }))
    .result as ImMessageSearchResult;
const searchAll = async (user: TestUser, text: string, extra: Record<string, unknown> = {}) =>
  (await kit.call(user, 'im.search.message.list', { SEARCH_MESSAGE: text, ...extra })).result as ImMessageSearchResult;
const chatIdOf = async (user: TestUser, dialogId: string | number) =>
  ((await kit.call(user, 'im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 1 })).result as ImDialogMessages)
    .chat_id;

describe('im.dialog.messages.search', () => {
  test('finds messages of the chat by their words, whatever the case, accents and BB-code, with their authors', async () => {
    const { alice, bob } = kit;
    const chatId = await newChat(alice, [bob], 'Roadmap');
    const hit = await send(bob, `chat${chatId}`, 'The [B]Quarterly[/B] roadmap is in the Café folder');
    await send(alice, `chat${chatId}`, 'Lunch at noon?');
    const found = await searchIn(alice, chatId, 'quarterly cafe');
    assert.deepEqual(
      found.messages.map((m) => m.id),
      [hit],
    );
    assert.equal(found.messages[0]?.text, 'The [B]Quarterly[/B] roadmap is in the Café folder', 'the text as sent');
    assert.equal(found.messages[0]?.author_id, bob.id);
    assert.deepEqual(
      found.users.map((u) => u.id),
      [bob.id],
    );
    assert.equal((await searchIn(alice, chatId, 'roadm')).messages[0]?.id, hit, 'a word is found by its beginning');
    assert.deepEqual((await searchIn(alice, chatId, 'quarterly lunch')).messages, [], 'every word must be in it');
    assert.deepEqual((await searchIn(alice, chatId, '[B]')).messages, [], 'BB-code tags are not words');
  });

  test('ranks the better match first, and equal matches newest first', async () => {
    const { alice, bob } = kit;
    const chatId = await newChat(alice, [bob], 'Ranking');
    const once = await send(alice, `chat${chatId}`, 'zebrafish are small');
    const twice = await send(bob, `chat${chatId}`, 'zebrafish zebrafish zebrafish everywhere');
    const newer = await send(alice, `chat${chatId}`, 'zebrafish are small too');
    const found = await searchIn(bob, chatId, 'zebrafish');
    assert.deepEqual(
      found.messages.map((m) => m.id),
      [twice, newer, once],
    );
    const byId = await searchIn(bob, chatId, 'zebrafish', { ORDER: { ID: 'ASC' } });
    assert.deepEqual(
      byId.messages.map((m) => m.id),
      [once, twice, newer],
      'ORDER[ID] gives message order',
    );
  });

  test('pages: LIMIT and OFFSET by relevance, LIMIT and LAST_ID in message order', async () => {
    const { alice, bob } = kit;
    const chatId = await newChat(alice, [bob], 'Paging');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await send(alice, `chat${chatId}`, `kangaroo report ${i}`));
    const first = await searchIn(bob, chatId, 'kangaroo', { LIMIT: 2 });
    const second = await searchIn(bob, chatId, 'kangaroo', { LIMIT: 2, OFFSET: 2 });
    const third = await searchIn(bob, chatId, 'kangaroo', { LIMIT: 2, OFFSET: 4 });
    assert.deepEqual(
      [...first.messages, ...second.messages, ...third.messages].map((m) => m.id),
      [...ids].reverse(),
    );
    assert.deepEqual([first.hasNextPage, second.hasNextPage, third.hasNextPage], [true, true, false]);
    const older = await searchIn(bob, chatId, 'kangaroo', { ORDER: { ID: 'DESC' }, LIMIT: 2, LAST_ID: ids[3] });
    assert.deepEqual(
      older.messages.map((m) => m.id),
      [ids[2], ids[1]],
    );
  });

  test('a deleted message is not found; an edited one is found by its new words only', async () => {
    const { alice, bob } = kit;
    const chatId = await newChat(alice, [bob], 'Edits');
    const deleted = await send(alice, `chat${chatId}`, 'the platypus plan');
    const edited = await send(alice, `chat${chatId}`, 'the wombat plan');
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: deleted });
    await kit.call(alice, 'im.message.update', { MESSAGE_ID: edited, MESSAGE: 'the echidna plan' });
    assert.deepEqual((await searchIn(bob, chatId, 'platypus')).messages, []);
    assert.deepEqual((await searchIn(bob, chatId, 'deleted')).messages, [], 'nor by the text a deleted one shows');
    assert.deepEqual((await searchIn(bob, chatId, 'wombat')).messages, []);
    assert.deepEqual(
      (await searchIn(bob, chatId, 'echidna')).messages.map((m) => m.id),
      [edited],
    );
  });

  test('a one-to-one dialog is searched by its chat id; DATE narrows to one day', async () => {
    const { alice, carol } = kit;
    const id = await send(alice, carol.id, 'meet at the aquarium');
    const chatId = await chatIdOf(carol, alice.id);
    const found = await searchIn(carol, chatId, 'aquarium');
    assert.deepEqual(
      found.messages.map((m) => m.id),
      [id],
    );
    const today = found.messages[0]?.date.slice(0, 10) as string;
    assert.equal((await searchIn(carol, chatId, 'aquarium', { DATE: today })).messages.length, 1);
    assert.equal((await searchIn(carol, chatId, 'aquarium', { DATE: '2001-01-01' })).messages.length, 0);
    assert.equal((await searchIn(carol, chatId, '', { DATE_FROM: today })).messages[0]?.id, id, 'dates alone');
  });

  test('a non-member gets ACCESS_ERROR, whichever portal; bad input gets a clear error', async () => {
    const { alice, bob, carol, dave } = kit;
    const chatId = await newChat(alice, [bob], 'Secret plans');
    await send(alice, `chat${chatId}`, 'the secret ostrich plan');
    assert.deepEqual(
      await kit.fail(carol, 'im.dialog.messages.search', { CHAT_ID: chatId, SEARCH_MESSAGE: 'ostrich' }),
      {
        code: 'ACCESS_ERROR',
        status: 403,
      },
    );
    assert.equal(
      (await kit.fail(dave, 'im.dialog.messages.search', { CHAT_ID: chatId, SEARCH_MESSAGE: 'ostrich' })).code,
      'ACCESS_ERROR',
    );
    assert.deepEqual(await kit.fail(alice, 'im.dialog.messages.search', { SEARCH_MESSAGE: 'ostrich' }), {
      code: 'CHAT_ID_EMPTY',
      status: 400,
    });
    const bad = (params: Record<string, unknown>) =>
      kit.fail(alice, 'im.dialog.messages.search', { CHAT_ID: chatId, SEARCH_MESSAGE: 'ostrich', ...params });
    assert.equal((await bad({ SEARCH_MESSAGE: 'os' })).code, 'SEARCH_MESSAGE_TOO_SHORT');
    assert.equal((await bad({ SEARCH_MESSAGE: '' })).code, 'SEARCH_MESSAGE_TOO_SHORT');
    assert.equal((await bad({ LIMIT: 'many' })).code, 'PARAMS_ERROR');
    assert.equal((await bad({ ORDER: { ID: 'SIDEWAYS' } })).code, 'PARAMS_ERROR');
    assert.equal((await bad({ DATE: 'yesterday' })).code, 'PARAMS_ERROR');
    assert.equal((await bad({ OFFSET: -1 })).code, 'PARAMS_ERROR');
    // A search string of punctuation only has no words: nothing is found, and nothing fails.
    assert.deepEqual((await searchIn(alice, chatId, "'&|!:*()")).messages, []);
  });

  test('a member added later does not find what was said before they joined', async () => {
    const { alice, bob, carol } = kit;
    const chatId = await newChat(alice, [bob], 'Late joiner');
    await send(alice, `chat${chatId}`, 'the early flamingo');
    await kit.call(alice, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [carol.id], HIDE_HISTORY: 'Y' });
    const later = await send(alice, `chat${chatId}`, 'the late flamingo');
    assert.deepEqual(
      (await searchIn(carol, chatId, 'flamingo')).messages.map((m) => m.id),
      [later],
    );
  });
});

describe('im.search.message.list (every chat of the caller)', () => {
  test('finds in every chat the caller is in and names each dialog; never in chats of others', async () => {
    const { alice, bob, carol, dave } = kit;
    const shared = await newChat(alice, [bob], 'Pelican team');
    const without = await newChat(carol, [bob], 'Pelican gossip');
    const inShared = await send(bob, `chat${shared}`, 'pelicans at dawn');
    const inDialog = await send(bob, alice.id, 'did you see the pelicans?');
    await send(bob, `chat${without}`, 'pelicans are loud');
    await send(bob, carol.id, 'pelicans again');

    const found = await searchAll(alice, 'pelicans');
    assert.deepEqual(new Set(found.messages.map((m) => m.id)), new Set([inShared, inDialog]));
    const dialogs = found.dialogs ?? {};
    assert.deepEqual(dialogs[String(shared)], {
      dialogId: `chat${shared}`,
      chatId: shared,
      title: 'Pelican team',
      type: 'chat',
    });
    const dialogChat = found.messages.find((m) => m.id === inDialog)?.chat_id as number;
    assert.equal(dialogs[String(dialogChat)]?.dialogId, bob.id, "a one-to-one dialog is named by the other's id");
    assert.equal(dialogs[String(dialogChat)]?.title, bob.name);

    assert.deepEqual((await searchAll(dave, 'pelicans')).messages, [], 'another portal finds nothing');
    assert.equal(
      (await kit.fail(alice, 'im.search.message.list', { SEARCH_MESSAGE: 'pe' })).code,
      'SEARCH_MESSAGE_TOO_SHORT',
    );
  });

  test('ranks across chats: the better match first, then the newest, whichever chat', async () => {
    const { alice, bob } = kit;
    const first = await newChat(alice, [bob], 'Narwhal one');
    const second = await newChat(alice, [bob], 'Narwhal two');
    const older = await send(bob, `chat${first}`, 'a narwhal sighting');
    const twice = await send(bob, `chat${second}`, 'narwhal narwhal, again');
    const newer = await send(bob, `chat${first}`, 'one more narwhal');
    const newest = await send(bob, `chat${second}`, 'the narwhal left');
    const found = await searchAll(alice, 'narwh');
    assert.deepEqual(
      found.messages.map((m) => m.id),
      [twice, newest, newer, older],
    );
  });

  test('a word whose letters read as a quote, and a half-typed accented word, are found and fail nothing', async () => {
    const { alice, bob } = kit;
    const chatId = await newChat(alice, [bob], 'Musketeers');
    // U+02BC is a letter to the parser, and the search's accent rules make it an apostrophe.
    const quoted = await send(bob, `chat${chatId}`, 'dʼArtagnan rides at dawn');
    const accented = await send(bob, `chat${chatId}`, 'Sévérine wrote the letter');
    // Two words to the parser ('x' then 'y'), one to the person typing it.
    const split = await send(bob, `chat${chatId}`, 'solve x²y first, then y²x');
    assert.deepEqual(
      (await searchAll(alice, 'dʼArtagnan')).messages.map((m) => m.id),
      [quoted],
    );
    assert.deepEqual(
      (await searchIn(alice, chatId, "dʼʼ'Art")).messages,
      [],
      'quotes of every kind, nothing found and no error',
    );
    assert.deepEqual(
      (await searchAll(alice, 'severi')).messages.map((m) => m.id),
      [accented],
    );
    assert.deepEqual(
      (await searchIn(alice, chatId, 'x²y')).messages.map((m) => m.id),
      [split],
    );
    assert.deepEqual((await searchIn(alice, chatId, 'y²y')).messages, [], 'the parts in their order');
  });
});

describe('the (chat, word) index keys (migration 19)', () => {
  test("a chat's query matches only its own chat's words, even where one chat id begins another", async () => {
    const { db } = kit.server.context;
    const matches = async (vectorChat: number, queryChat: number, text: string, query: string) => {
      const [row] = await db.query<{ found: boolean }>(
        `SELECT search_chat_words($1::int, to_tsvector('portaldesk_search', $3) || ('#' || $1::int)::tsvector)
           @@ search_chat_query($2::int, to_tsquery('portaldesk_search', $4)) AS found`,
        [vectorChat, queryChat, text, query],
      );
      return row?.found;
    };
    assert.equal(await matches(12, 12, 'Meeting at the café', "'cafe' & 'meet':*"), true);
    assert.equal(await matches(12, 1, 'Meeting at the café', "'meet':*"), false, 'chat 1 is not chat 12');
    assert.equal(await matches(1, 12, 'Meeting at the café', "'meet':*"), false);
    assert.equal(await matches(12, 12, 'Meeting at the café', "'cafe' & 'lunch'"), false, 'every word is needed');
    assert.equal(await matches(12, 12, 'Meeting at the café', "'#12'"), false, 'the chat lexeme is no key');
    const [keys] = await db.query<{ wordless: string; deleted: string }>(
      `SELECT search_chat_words(12, to_tsvector('portaldesk_search', '!!! ...') || '#12'::tsvector)::text AS wordless,
              search_chat_words(12, ''::tsvector)::text AS deleted`,
    );
    assert.deepEqual(keys, { wordless: '', deleted: '' }, 'a message without words has no keys');
  });
});

describe('a very common word', () => {
  test('past the bound of matches, the newest of each chat are ranked, still only in the caller’s chats', async () => {
    const { alice, bob, carol } = kit;
    const { db, events } = kit.server.context;
    // Bounds this small make "common" a few messages, as 2,000 matches do on a real portal.
    const search = new MessageSearch(db, new MessageReactions(db, events), { candidates: 3, perChat: 2 });
    const first = await newChat(alice, [bob], 'Common words one');
    const second = await newChat(alice, [bob], 'Common words two');
    const few = await newChat(alice, [bob], 'Common words, once');
    const elsewhere = await newChat(carol, [bob], 'Common words three');
    const once = await send(bob, `chat${few}`, 'a wallaby, once');
    const one = [await send(bob, `chat${first}`, 'wallaby'), await send(bob, `chat${first}`, 'wallaby wallaby')];
    one.push(await send(bob, `chat${first}`, 'wallaby again'));
    const two = [await send(bob, `chat${second}`, 'wallaby'), await send(bob, `chat${second}`, 'wallaby too')];
    await send(bob, `chat${elsewhere}`, 'wallaby wallaby wallaby');
    const query = {
      portalId: alice.portal.id,
      userId: alice.id,
      chatId: null,
      words: ['wallaby'],
      from: null,
      to: null,
      order: 'relevance' as const,
      lastId: null,
      offset: 0,
      limit: 10,
    };
    const found = (await search.search(query)).messages.map((m) => m.id);
    // The two newest of each of Alice's chats (all of a chat with fewer), the best match first;
    // never Carol's chat.
    assert.deepEqual(new Set(found), new Set([one[1], one[2], two[0], two[1], once]));
    assert.equal(found[0], one[1], 'the message with the word twice ranks first');
    // Below the bound, every match is ranked.
    const inOne = await search.search({ ...query, chatId: second });
    assert.deepEqual(
      inOne.messages.map((m) => m.id),
      [two[1], two[0]],
    );
  });
});
