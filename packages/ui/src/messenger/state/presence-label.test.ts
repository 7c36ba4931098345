import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presenceKind, presenceLabel, presenceText } from './presence-label.ts';

const now = new Date(2026, 11, 7, 20, 30);

test('someone never seen connected is offline, not online', () => {
  assert.equal(presenceLabel(false, now), 'offline');
  assert.equal(presenceLabel(undefined, now), 'offline');
  assert.equal(presenceLabel('not a date', now), 'offline');
});

test('connected now (or a moment ago, by a slightly different clock) is online', () => {
  assert.equal(presenceLabel(now.toISOString(), now), 'online');
  assert.equal(presenceLabel(new Date(now.getTime() + 30_000).toISOString(), now), 'online');
});

test('seen earlier: when, as the chat list says it', () => {
  assert.equal(presenceLabel(new Date(2026, 11, 6, 9, 0).toISOString(), now, 'en-US'), 'last seen Yesterday');
  assert.match(presenceLabel(new Date(2026, 11, 7, 9, 5).toISOString(), now, 'en-US'), /^last seen 09:05 AM$/);
});

test('the dot: offline unless connected, then the chosen status, idle counting as away', () => {
  const connected = now.toISOString();
  assert.equal(presenceKind(undefined, now), 'offline');
  assert.equal(presenceKind({ status: 'dnd', last_activity_date: false }, now), 'offline', 'dnd but never seen');
  assert.equal(presenceKind({ status: 'online', last_activity_date: connected }, now), 'online');
  assert.equal(presenceKind({ status: 'dnd', last_activity_date: connected, idle: connected }, now), 'dnd');
  assert.equal(presenceKind({ status: 'away', last_activity_date: connected }, now), 'away');
  assert.equal(presenceKind({ status: 'online', idle: connected, last_activity_date: connected }, now), 'away');
  assert.equal(presenceKind({ status: 'online', last_activity_date: connected, online: false }, now), 'offline');
});

test("the header's line says the chosen status while connected, and when last seen otherwise", () => {
  const connected = now.toISOString();
  assert.equal(presenceText({ status: 'dnd', last_activity_date: connected }, now), 'do not disturb');
  assert.equal(presenceText({ status: 'online', idle: connected, last_activity_date: connected }, now), 'away');
  assert.equal(presenceText({ status: 'online', last_activity_date: connected }, now), 'online');
  assert.equal(
    presenceText({ status: 'dnd', last_activity_date: connected, online: false }, now),
    'last seen just now',
  );
  assert.equal(presenceText({ status: 'dnd', last_activity_date: false }, now), 'offline');
});
