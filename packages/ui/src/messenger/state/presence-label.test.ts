import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presenceLabel } from './presence-label.ts';

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
