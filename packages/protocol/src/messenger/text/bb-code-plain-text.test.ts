import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bbCodeToPlainText } from './bb-code-plain-text.ts';

test('BB-code reads as plain text: a mention is the name, a link its text, formatting dropped', () => {
  assert.equal(
    bbCodeToPlainText('[USER=3]Carol Davis[/USER], [b]look[/b] at [url=https://x.example/a]the plan[/url]'),
    'Carol Davis, look at the plan',
  );
  assert.equal(
    bbCodeToPlainText('[url]https://x.example/a[/url] [I]it[/i][s]x[/s][u]y[/u]'),
    'https://x.example/a itxy',
  );
});

test('line breaks stay; pictures, quotes and code read as a person would say them', () => {
  assert.equal(bbCodeToPlainText('one\ntwo[br]three'), 'one\ntwo\nthree');
  assert.equal(bbCodeToPlainText('[quote]said[/quote]yes'), '«said»\nyes');
  assert.equal(bbCodeToPlainText('[img]https://x.example/p.png[/img]'), '[picture]');
  assert.equal(bbCodeToPlainText('[code][b]raw[/b][/code]'), '[b]raw[/b]');
});

test('what is not markup stays as typed', () => {
  assert.equal(bbCodeToPlainText('a [b]open and <b>html</b>'), 'a [b]open and <b>html</b>');
  assert.equal(bbCodeToPlainText('[url=javascript:alert(1)]x[/url]'), 'x', 'an unsafe link reads as its text');
});
