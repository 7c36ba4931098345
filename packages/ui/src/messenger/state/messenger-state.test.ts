import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DialogMessage, RecentItem } from '../api/messenger-schemas.ts';
import { plainPreview } from '../text/plain-preview.ts';
import { chatSearchBoxKey, isChatSearchShortcut } from './chat-search-keys.ts';
import { composerEditKey, composerKeyAction, messageToSend } from './composer-key.ts';
import { dayLabel, groupByDay } from './day-separators.ts';
import { emptyHistory, mergeMessages, withMessage, withOlderPage } from './dialog-history.ts';
import { mentionQueryAt, withMentionCodes } from './draft-mentions.ts';
import {
  isChangeableBy,
  isDeleted,
  isEdited,
  lastChangeable,
  withChangedMessage,
  withChangedPreview,
} from './message-changes.ts';
import { continuesRun, RUN_GAP_MS } from './message-runs.ts';
import { matchesSearch } from './name-search.ts';
import { newMessagesDivider, splitAtDivider } from './new-messages-divider.ts';
import { nextReadMark } from './read-marks.ts';
import { ownLastStatus, readsFromRecent, withOpponentRead } from './read-receipts.ts';
import { sortRecent, totalUnread, withIncomingMessage, withReadDialog } from './recent-dialogs.ts';
import { recentTime } from './recent-time.ts';
import { TYPING_SHOWN_MS, TypingAnnouncer, TypingTracker, typingLabel } from './typing-tracker.ts';

const message = (id: number, author_id = 2, text = `m${id}`): DialogMessage => ({
  id,
  chat_id: 1,
  author_id,
  date: new Date(1_700_000_000_000 + id * 1000).toISOString(),
  text,
});
const recent = (id: string, date: string, extra: Partial<RecentItem> = {}): RecentItem => ({
  id,
  type: 'user',
  title: id,
  counter: 0,
  pinned: false,
  unread: false,
  message: { id: 1, text: '', author_id: 2, date },
  ...extra,
});

test('history: pages merge without duplicates, oldest first; a short page ends the history', () => {
  let history = withOlderPage(emptyHistory(), [message(10), message(11), message(12)], 3);
  assert.equal(history.hasOlder, true);
  history = withOlderPage(history, [message(9), message(10)], 3);
  assert.deepEqual(
    history.messages.map((m) => m.id),
    [9, 10, 11, 12],
  );
  assert.equal(history.hasOlder, false);
  history = withMessage(history, message(13));
  history = withMessage(history, { ...message(13), text: 'edited' });
  assert.deepEqual(
    history.messages.map((m) => m.text),
    ['m9', 'm10', 'm11', 'm12', 'edited'],
  );
  assert.deepEqual(mergeMessages([], []), []);
});

test('recent: pinned first, then newest; a new message moves its dialog up with its counter', () => {
  const items = sortRecent([
    recent('1', '2026-01-01T10:00:00Z'),
    recent('chat5', '2026-01-02T10:00:00Z'),
    recent('3', '2025-01-01T10:00:00Z', { pinned: true }),
  ]);
  assert.deepEqual(
    items.map((i) => i.id),
    ['3', 'chat5', '1'],
  );
  const after = withIncomingMessage(items, {
    dialogId: '1',
    message: { id: 50, text: 'hi', author_id: 1, date: '2026-01-03T10:00:00Z' },
    counter: 2,
  });
  assert.deepEqual(
    after.map((i) => i.id),
    ['3', '1', 'chat5'],
  );
  assert.equal(after[1]?.counter, 2);
  assert.equal(totalUnread(after), 2);
  assert.equal(totalUnread(withReadDialog(after, '1', 0)), 0);
  const withNew = withIncomingMessage(after, {
    dialogId: 'chat9',
    message: { id: 60, text: 'new', author_id: 4, date: '2026-01-04T10:00:00Z' },
    counter: 1,
    title: 'Team',
  });
  assert.equal(withNew[1]?.id, 'chat9');
  assert.equal(withNew[1]?.title, 'Team');
  assert.equal(withNew[1]?.type, 'chat');
});

test('typing: shown for a while, gone when their message arrives or the signal expires', () => {
  let now = 0;
  const tracker = new TypingTracker(() => now);
  tracker.started('chat1', 2, 'Anna');
  tracker.started('chat1', 3, 'Boris');
  assert.equal(typingLabel(tracker.namesIn('chat1')), 'Anna and Boris are typing…');
  tracker.stopped('chat1', 3);
  assert.equal(typingLabel(tracker.namesIn('chat1')), 'Anna is typing…');
  now += TYPING_SHOWN_MS;
  assert.deepEqual(tracker.namesIn('chat1'), []);
  assert.equal(typingLabel(['A', 'B', 'C']), 'A and 2 more are typing…');
});

test('typing: the user’s own typing is announced at most every few seconds', () => {
  let now = 0;
  let announced = 0;
  const announcer = new TypingAnnouncer(
    () => now,
    () => announced++,
  );
  announcer.typed();
  announcer.typed();
  now += 4_000;
  announcer.typed();
  assert.equal(announced, 1);
  now += 1_000;
  announcer.typed();
  assert.equal(announced, 2);
  announcer.reset();
  announcer.typed();
  assert.equal(announced, 3);
});

test('composer: Enter sends, Shift+Enter breaks the line, IME Enter does neither', () => {
  assert.equal(composerKeyAction({ key: 'Enter', shiftKey: false }), 'send');
  assert.equal(composerKeyAction({ key: 'Enter', shiftKey: true }), 'newline');
  assert.equal(composerKeyAction({ key: 'Enter', shiftKey: false, isComposing: true }), 'none');
  assert.equal(composerKeyAction({ key: 'a', shiftKey: false }), 'none');
  assert.equal(messageToSend('  \n '), null);
  assert.equal(messageToSend(' hi\n'), 'hi');
});

test('read marks: only newer messages from others that are on screen', () => {
  const messages = [message(1, 2), message(2, 7), message(3, 2), message(4, 7)];
  assert.equal(nextReadMark(messages, 3, 0, 7), 3);
  assert.equal(nextReadMark(messages, 3, 3, 7), null);
  // Only the reader's own message is new: nothing to mark.
  assert.equal(nextReadMark(messages, 4, 3, 7), null);
  assert.equal(nextReadMark(messages, undefined, 0, 7), null);
});

test('preview: formatting dropped, one line, shortened', () => {
  assert.equal(
    plainPreview('[b]Hi[/b] [user=3]Anna[/user],\nsee [url=https://x.example]this[/url]'),
    'Hi Anna, see this',
  );
  assert.equal(plainPreview('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
});

test('changes: an edit or deletion reaches the loaded message and the list preview, nothing else', () => {
  const history = withOlderPage(emptyHistory(), [message(1, 5), message(2, 2), message(3, 5)], 10);
  const edit = { dialogId: '2', messageId: 3, text: 'fixed', params: { IS_EDITED: 'Y' } };
  const edited = withChangedMessage(history, edit);
  assert.equal(edited.messages[2]?.text, 'fixed');
  assert.equal(isEdited(edited.messages[2]!), true);
  assert.equal(edited.messages[0], history.messages[0], 'other messages are untouched');
  assert.equal(withChangedMessage(history, { ...edit, messageId: 99 }), history, 'an unloaded message stays unloaded');

  const deleted = withChangedMessage(edited, { ...edit, text: 'gone', params: { IS_DELETED: 'Y' } });
  assert.equal(isDeleted(deleted.messages[2]!), true);
  assert.equal(isChangeableBy(deleted.messages[2]!, 5), false, 'a deleted message is not edited again');
  assert.equal(isChangeableBy(deleted.messages[1]!, 5), false, "someone else's message is not the reader's to edit");
  assert.equal(lastChangeable(deleted, 5)?.id, 1, 'Up edits the newest message still editable');
  assert.equal(lastChangeable(undefined, 5), undefined);

  const items = [
    recent('2', '2026-01-01T00:00:00Z', { counter: 3, message: { id: 3, text: 'typo', author_id: 5, date: '' } }),
  ];
  const preview = withChangedPreview(items, { ...edit, counter: 2 });
  assert.equal(preview[0]?.message?.text, 'fixed');
  assert.equal(preview[0]?.counter, 2);
  assert.equal(
    withChangedPreview(items, { ...edit, messageId: 1 })[0]?.message?.text,
    'typo',
    'an older message leaves the preview',
  );
});

test('composer keys for editing: Up in an empty box edits the last message, Escape stops editing', () => {
  const key = (key: string, extra: Partial<{ shiftKey: boolean; isComposing: boolean }> = {}) => ({
    key,
    shiftKey: false,
    ...extra,
  });
  assert.equal(composerEditKey(key('ArrowUp'), { draftEmpty: true, editing: false }), 'edit-last');
  assert.equal(composerEditKey(key('ArrowUp'), { draftEmpty: false, editing: false }), 'none', 'Up moves in a draft');
  assert.equal(composerEditKey(key('ArrowUp'), { draftEmpty: true, editing: true }), 'none');
  assert.equal(composerEditKey(key('ArrowUp', { shiftKey: true }), { draftEmpty: true, editing: false }), 'none');
  assert.equal(composerEditKey(key('Escape'), { draftEmpty: false, editing: true }), 'cancel-edit');
  assert.equal(composerEditKey(key('Escape'), { draftEmpty: false, editing: false }), 'none');
  assert.equal(composerEditKey(key('Escape', { isComposing: true }), { draftEmpty: false, editing: true }), 'none');
});

test('day headings: one above each local day’s first message, named for the reader', () => {
  const at = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h).toISOString();
  const messages = [at(2026, 3, 2, 9), at(2026, 3, 2, 23), at(2026, 3, 3, 1), at(2026, 3, 3, 8)].map((date) => ({
    date,
  }));
  assert.deepEqual(
    groupByDay(messages).map((day) => day.messages.length),
    [2, 2],
  );
  assert.deepEqual(
    groupByDay([...messages.slice(0, 1), { date: 'not a date' }]).map((day) => day.messages.length),
    [2],
    'an undated message stays with the one before',
  );
  const now = new Date(2026, 2, 3, 12);
  assert.equal(dayLabel(at(2026, 3, 3, 1), now, 'en-US'), 'Today');
  assert.equal(dayLabel(at(2026, 3, 2, 23), now, 'en-US'), 'Yesterday');
  assert.equal(dayLabel(at(2026, 2, 27, 10), now, 'en-US'), 'Friday, February 27');
  assert.equal(dayLabel(at(2025, 12, 31, 10), now, 'en-US'), 'December 31, 2025');
});

test('chat list times: the time today, then Yesterday, a weekday this week, a date before', () => {
  const now = new Date(2026, 2, 11, 12); // Wednesday, March 11
  const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).toISOString();
  assert.equal(recentTime(at(2026, 3, 11, 9, 5), now, 'en-US'), '09:05 AM');
  assert.equal(recentTime(at(2026, 3, 10, 23), now, 'en-US'), 'Yesterday');
  assert.equal(recentTime(at(2026, 3, 6, 10), now, 'en-US'), 'Fri');
  assert.equal(recentTime(at(2026, 3, 5, 10), now, 'en-US'), 'Thu');
  assert.equal(recentTime(at(2026, 3, 4, 10), now, 'en-US'), 'Mar 4', 'a week back: the date, not today’s weekday');
  assert.equal(recentTime(at(2025, 12, 31, 10), now, 'en-US'), 'Dec 31, 2025');
  assert.equal(recentTime('not a date', now, 'en-US'), '');
});

test('"New messages": above the first message unread at opening, as the counter says; reading does not move it', () => {
  const m = (id: number, author_id: number, deleted = false): DialogMessage => ({
    ...message(id),
    author_id,
    ...(deleted ? { params: { IS_DELETED: 'Y' } } : {}),
  });
  // Reader 1; 2 wrote 3 and 5; 4 is the reader's own, 6 a system note, 7 deleted.
  const history = [m(1, 2), m(2, 1), m(3, 2), m(4, 1), m(5, 2), m(6, 0), m(7, 2, true)];
  assert.equal(newMessagesDivider(history, 1, { unread: 2, newestId: 7 }), 3);
  assert.equal(newMessagesDivider(history, 1, { unread: 1, newestId: 7 }), 5);
  assert.equal(newMessagesDivider(history, 1, { unread: 0, newestId: 7 }), null, 'nothing unread, no line');
  assert.equal(
    newMessagesDivider([...history, m(8, 2)], 1, { unread: 1, newestId: 7 }),
    5,
    'a message that came while the dialog was open does not move it',
  );
  // More unread than loaded: the oldest loaded for now, higher once older pages come.
  assert.equal(newMessagesDivider(history.slice(2), 1, { unread: 3, newestId: 7 }), 3);
  assert.equal(newMessagesDivider(history, 1, { unread: 3, newestId: 7 }), 1);
  assert.deepEqual(
    splitAtDivider(history, 3).map((part) => [part.afterDivider, part.messages.map((message) => message.id)]),
    [
      [false, [1, 2]],
      [true, [3, 4, 5, 6, 7]],
    ],
  );
  assert.deepEqual(
    splitAtDivider(history, 1).map((part) => part.afterDivider),
    [true],
  );
  assert.deepEqual(
    splitAtDivider(history, 9).map((part) => part.afterDivider),
    [false],
    'the line is on another day',
  );
});

test('search: every word typed, in any order, whatever the case or accents', () => {
  assert.equal(matchesSearch('René Schäfer', 'ren sch'), true);
  assert.equal(matchesSearch('René Schäfer', 'SCHAFER rene'), true);
  assert.equal(matchesSearch('René Schäfer', 'ren bob'), false, 'every word must match');
  assert.equal(matchesSearch('Launch team', '  '), true, 'nothing typed: everything');
  assert.equal(matchesSearch('Launch team', 'lunch'), false);
});

test('chat search keys: Ctrl+K or ⌘K goes there; Enter opens the first found, Escape clears', () => {
  const key = (k: string, extra: Partial<Parameters<typeof isChatSearchShortcut>[0]> = {}) => ({
    key: k,
    shiftKey: false,
    ...extra,
  });
  assert.equal(isChatSearchShortcut(key('k', { ctrlKey: true })), true);
  assert.equal(isChatSearchShortcut(key('K', { metaKey: true })), true);
  assert.equal(isChatSearchShortcut(key('k')), false, 'a plain k is typing');
  assert.equal(isChatSearchShortcut(key('k', { ctrlKey: true, shiftKey: true })), false);
  assert.equal(chatSearchBoxKey(key('Enter'), 'car'), 'open-first');
  assert.equal(chatSearchBoxKey(key('Enter'), '  '), 'none', 'nothing typed, nothing opened');
  assert.equal(chatSearchBoxKey(key('Enter', { isComposing: true }), 'car'), 'none', 'Enter that ends an IME word');
  assert.equal(chatSearchBoxKey(key('Escape'), 'car'), 'clear');
  assert.equal(chatSearchBoxKey(key('Escape'), ''), 'none');
});

test('mentions: "@" and letters ask for a colleague; the one picked is sent as [USER=id]', () => {
  assert.deepEqual(mentionQueryAt('Hi @bo', 6), { start: 3, query: 'bo' });
  assert.deepEqual(mentionQueryAt('@', 1), { start: 0, query: '' });
  assert.equal(mentionQueryAt('mail me at bob@acme.test', 24), null, 'an address is not a mention');
  assert.equal(mentionQueryAt('Hi @bo there', 12), null, 'the caret has moved past it');
  const people = [
    { id: 2, name: 'Bob Burns' },
    { id: 3, name: 'Anna Maria' },
    { id: 4, name: 'Anna Maria Lee' },
  ];
  assert.equal(withMentionCodes('Hi @Bob Burns, see', people), 'Hi [USER=2]Bob Burns[/USER], see');
  assert.equal(
    withMentionCodes('@Anna Maria Lee and @Anna Maria', people),
    '[USER=4]Anna Maria Lee[/USER] and [USER=3]Anna Maria[/USER]',
  );
  assert.equal(withMentionCodes('@Bob Burnsides', people), '@Bob Burnsides', 'a longer name is someone else');
  assert.equal(withMentionCodes('x@Bob Burns', people), 'x@Bob Burns', 'inside a word is not a mention');
});

test('runs: a colleague’s quick follow-ups are one turn under one name; a pause, another author or a note starts anew', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 2, 3, 9) + minutes * 60_000).toISOString();
  const bob = (minutes: number) => ({ author_id: 2, date: at(minutes) });
  assert.equal(continuesRun(undefined, bob(0)), false, 'the first message names its author');
  assert.equal(continuesRun(bob(0), bob(1)), true);
  assert.equal(continuesRun(bob(0), bob(RUN_GAP_MS / 60_000)), true, 'up to the gap');
  assert.equal(continuesRun(bob(0), bob(RUN_GAP_MS / 60_000 + 1)), false, 'after a pause');
  assert.equal(continuesRun(bob(0), { author_id: 3, date: at(1) }), false, 'another author');
  assert.equal(continuesRun({ author_id: 0, date: at(0) }, { author_id: 0, date: at(1) }), false, 'notes stand alone');
  assert.equal(continuesRun(bob(5), bob(4)), false, 'a message dated before the one above');
  assert.equal(continuesRun(bob(0), { author_id: 2, date: 'not a date' }), false);
});

test('read receipts: from the list, then forward only; shown for the reader’s own last message', () => {
  const items = [
    recent('2', '2026-01-01T00:00:00Z', { message: { id: 8, text: '', author_id: 5, date: '', status: 'delivered' } }),
    recent('3', '2026-01-01T00:00:00Z', { message: { id: 9, text: '', author_id: 5, date: '', status: 'received' } }),
    recent('4', '2026-01-01T00:00:00Z', { message: { id: 7, text: '', author_id: 4, date: '', status: 'delivered' } }),
  ];
  assert.deepEqual(readsFromRecent(items, 5), { '2': 8 });
  let reads = withOpponentRead({}, '3', 9);
  assert.equal(withOpponentRead(reads, '3', 4), reads, 'an older read never takes a Seen back');
  reads = withOpponentRead(reads, '3', 12);
  assert.equal(reads['3'], 12);

  const history = [message(10, 2), message(11, 5), message(12, 5)];
  assert.deepEqual(ownLastStatus(history, 5, 11), { messageId: 12, seen: false });
  assert.deepEqual(ownLastStatus(history, 5, 12), { messageId: 12, seen: true });
  assert.equal(ownLastStatus([...history, message(13, 2)], 5, 12), null, 'an answer below says it all');
  assert.equal(ownLastStatus([], 5, 12), null);
});
