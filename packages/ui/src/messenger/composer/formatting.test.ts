import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formattingForKey } from './formatting.ts';

const key = (key: string, code: string, extra: Partial<Parameters<typeof formattingForKey>[0]> = {}) => ({
  key,
  code,
  ctrlKey: true,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...extra,
});

test('the formatting shortcuts, with Ctrl or Cmd, on any keyboard layout', () => {
  assert.equal(formattingForKey(key('b', 'KeyB')), 'bold');
  assert.equal(formattingForKey(key('b', 'KeyB', { ctrlKey: false, metaKey: true })), 'bold', 'Cmd on a Mac');
  assert.equal(formattingForKey(key('и', 'KeyB')), 'bold', 'a Russian layout: the same key');
  assert.equal(formattingForKey(key('i', 'KeyI')), 'italic');
  assert.equal(formattingForKey(key('u', 'KeyU')), 'underline');
  assert.equal(formattingForKey(key('e', 'KeyE')), 'code');
  assert.equal(formattingForKey(key('X', 'KeyX', { shiftKey: true })), 'strike');
  assert.equal(formattingForKey(key('(', 'Digit9', { shiftKey: true })), 'quote');
});

test('other keys, and keys while an input method composes, are not formatting', () => {
  assert.equal(formattingForKey(key('b', 'KeyB', { ctrlKey: false })), null, 'a plain b is typing');
  assert.equal(formattingForKey(key('b', 'KeyB', { altKey: true })), null);
  assert.equal(formattingForKey(key('b', 'KeyB', { isComposing: true })), null);
  assert.equal(formattingForKey(key('k', 'KeyK')), null, 'Ctrl+K stays the chat search');
  assert.equal(formattingForKey(key('x', 'KeyX')), null, 'Ctrl+X cuts');
  assert.equal(formattingForKey(key('c', 'KeyC', { shiftKey: true })), null);
});
