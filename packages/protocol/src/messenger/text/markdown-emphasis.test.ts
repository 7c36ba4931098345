import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownToBbCode } from './markdown-emphasis.ts';
import { parseBbCode } from './parse-bb-code.ts';
import { writeBbCode } from './write-bb-code.ts';

test('Markdown emphasis typed by hand goes out as Bitrix24 BB-code', () => {
  assert.equal(markdownToBbCode('a **bold** word'), 'a [b]bold[/b] word');
  assert.equal(markdownToBbCode('__bold__ and *it* and _it_'), '[b]bold[/b] and [i]it[/i] and [i]it[/i]');
  assert.equal(markdownToBbCode('~~gone~~, `x = 1`'), '[s]gone[/s], [code]x = 1[/code]');
  assert.equal(markdownToBbCode('**bold with *italic* inside**'), '[b]bold with [i]italic[/i] inside[/b]');
});

test('what only looks like Markdown stays as typed', () => {
  for (const typed of [
    'snake_case_name and my_var_x',
    '2*3*4 = 24',
    'a * b * c',
    '** not bold **',
    'price: 5 * 3',
    '~~ nope ~~',
    'one *line\nand* the next',
    'just text',
  ]) {
    assert.equal(markdownToBbCode(typed), typed, typed);
  }
});

test('code, links and mentions keep their text; BB-code already there stays', () => {
  assert.equal(markdownToBbCode('[code]**raw** _x_[/code] **b**'), '[code]**raw** _x_[/code] [b]b[/b]');
  assert.equal(markdownToBbCode('`**raw**`'), '[code]**raw**[/code]');
  assert.equal(
    markdownToBbCode('see https://example.com/a_b_c_ and [url=https://x.example/__a__]the *plan*[/url]'),
    'see https://example.com/a_b_c_ and [url=https://x.example/__a__]the *plan*[/url]',
  );
  assert.equal(markdownToBbCode('[USER=3]Carol_Davis_[/USER] *hi*'), '[USER=3]Carol_Davis_[/USER] [i]hi[/i]');
  assert.equal(markdownToBbCode('[b]bold[/b] and *it*'), '[b]bold[/b] and [i]it[/i]');
  assert.equal(markdownToBbCode('[quote]said *this*[/quote]'), '[quote]said [i]this[/i][/quote]');
});

test('writing a parsed message gives back the same BB-code', () => {
  for (const source of [
    'hi [USER=12]Anna Smith[/USER]!\nsecond line',
    '[b]bold [i]both[/i][/b] [u]u[/u][s]s[/s]',
    '[quote]said [b]this[/b][/quote]',
    '[code][b]raw[/b][/code]',
    '[url=https://example.com/]the site[/url] and https://example.com/x bare',
    '[img]https://cdn.example/p.png[/img]',
    'a [b]open and close[/b] [color=red]x[/color]',
  ]) {
    assert.equal(writeBbCode(parseBbCode(source)), source, source);
  }
});
