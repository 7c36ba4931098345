import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageNotificationBody } from './message-notification-body.ts';

test('a file message says what was sent, then its text', () => {
  assert.equal(messageNotificationBody('', [{ name: 'report.pdf', type: 'file' }]), 'sent a file: report.pdf');
  assert.equal(messageNotificationBody('', [{ name: 'view.png', type: 'image' }]), 'sent a picture: view.png');
  assert.equal(
    messageNotificationBody('[b]Q3[/b] numbers', [{ name: 'report.pdf', type: 'file' }]),
    'sent a file: report.pdf\nQ3 numbers',
  );
  assert.equal(
    messageNotificationBody('', [
      { name: 'a.pdf', type: 'file' },
      { name: 'b.png', type: 'image' },
    ]),
    'sent 2 files: a.pdf, b.png',
  );
});

test('a message without files is its text, as plain text', () => {
  assert.equal(messageNotificationBody('[USER=3]Carol Davis[/USER], lunch?'), 'Carol Davis, lunch?');
});
