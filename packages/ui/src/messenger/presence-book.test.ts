import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessengerApi } from './api/messenger-api.ts';
import type { DialogUser } from './api/messenger-schemas.ts';
import { PresenceBook } from './presence-book.ts';

const NOW = Date.parse('2026-12-07T20:30:00Z');
const here = new Date(NOW).toISOString();

/** The calls the book makes, answered as a portal would. */
function fakeApi(people: Record<number, DialogUser>, refuseStatus = false) {
  const asked: number[][] = [];
  const api = {
    people: async (ids: readonly number[]) => {
      asked.push([...ids]);
      return ids.flatMap((id) => (people[id] ? [people[id]] : []));
    },
    user: async (id: number) => people[id] as DialogUser,
    setStatus: async () => {
      if (refuseStatus) throw new Error('refused');
    },
  };
  return { api: api as unknown as MessengerApi, asked };
}

const user = (id: number, extra: Partial<DialogUser>): DialogUser => ({
  id,
  name: `U${id}`,
  avatar: '',
  color: '',
  ...extra,
});

test('a status push changes the dots of the people it names; other commands are not its business', () => {
  const { api } = fakeApi({});
  const book = new PresenceBook(api, 1, () => NOW);
  book.note([
    user(2, { status: 'online', last_activity_date: here }),
    user(3, { status: 'online', last_activity_date: here }),
  ]);
  assert.equal(book.kindOf(2), 'online');
  assert.equal(book.handlePush('message', {}), false);
  const push = {
    users: {
      2: { id: 2, status: 'dnd', idle: false, last_activity_date: here, online: true },
      3: { id: 3, status: 'online', idle: false, last_activity_date: here, online: false },
    },
  };
  assert.equal(book.handlePush('userStatus', push), true);
  assert.equal(book.kindOf(2), 'dnd');
  assert.equal(book.textOf(2), 'do not disturb');
  assert.equal(book.kindOf(3), 'offline', 'went offline a moment ago: the push says so at once');
  assert.equal(book.handlePush('userStatus', { users: 'nonsense' }), true, 'a malformed push changes nothing');
  assert.equal(book.kindOf(2), 'dnd');
  // Opening the dialog reads the person again: the same last activity is still "gone"; a newer one is back.
  book.note([user(3, { status: 'online', last_activity_date: here })]);
  assert.equal(book.kindOf(3), 'offline');
  book.note([user(3, { status: 'online', last_activity_date: new Date(NOW + 1000).toISOString() })]);
  assert.equal(book.kindOf(3), 'online');
});

test('dots of people not heard of are asked for once, together', async () => {
  const { api, asked } = fakeApi({ 4: user(4, { status: 'away', last_activity_date: here }) });
  const book = new PresenceBook(api, 1, () => NOW);
  assert.equal(book.kindOf(4), 'offline', 'unknown until the portal answers');
  book.kindOf(5);
  book.kindOf(4);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(asked, [[4, 5]]);
  assert.equal(book.kindOf(4), 'away');
  book.kindOf(5);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(asked, [[4, 5]], 'someone the portal does not know is not asked for again');
});

test('the reader sets their own status; a refusal leaves it as it was', async () => {
  const refusing = new PresenceBook(fakeApi({}, true).api, 1, () => NOW);
  assert.equal(await refusing.setOwn('dnd'), false);
  assert.equal(refusing.ownStatus.value, 'online');
  const book = new PresenceBook(
    fakeApi({ 1: user(1, { status: 'away', last_activity_date: false }) }).api,
    1,
    () => NOW,
  );
  await book.loadOwn();
  assert.equal(book.ownStatus.value, 'away');
  assert.equal(book.own.value?.name, 'U1');
  assert.equal(book.kindOf(1), 'away', 'the reader is here, whatever the portal last saw');
  assert.equal(await book.setOwn('dnd'), true);
  assert.equal(book.ownStatus.value, 'dnd');
});
