import assert from 'node:assert/strict';
import { test } from 'node:test';
import { titleWithUnread } from './unread-title.ts';

test('the page title counts unread messages in front, and drops the count at zero', () => {
  assert.equal(titleWithUnread('Portaldesk', 0), 'Portaldesk');
  assert.equal(titleWithUnread('Portaldesk', 3), '(3) Portaldesk');
  assert.equal(titleWithUnread('Portaldesk', 250), '(99+) Portaldesk');
});
