import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aroundFirstMatch, highlightParts, searchTerms } from './search-highlight.ts';

const marked = (text: string, query: string) =>
  highlightParts(text, searchTerms(query))
    .filter((p) => p.match)
    .map((p) => p.text);

test('marks the words searched for, the last also where it begins a word, whatever the case and accents', () => {
  assert.deepEqual(marked('The Meeting is at the Café', 'cafe meet'), ['Meet', 'Café']);
  assert.deepEqual(marked('The Meeting is at the Café', 'meet cafe'), ['Café'], 'earlier words match whole words');
  assert.deepEqual(marked('Überweisung für Jürgen', 'uberweisung jurg'), ['Überweisung', 'Jürg']);
  assert.deepEqual(marked('Встреча в пятницу', 'встре'), ['Встре']);
  assert.deepEqual(marked('the theme', 'the'), ['the'], 'a word of three letters matches whole words');
});

test('marks only starts of words, and keeps the rest of the text as it was', () => {
  const parts = highlightParts('unmeet meet <b>&amp;', searchTerms('meet'));
  assert.deepEqual(parts, [
    { text: 'unmeet ', match: false },
    { text: 'meet', match: true },
    { text: ' <b>&amp;', match: false },
  ]);
});

test('a long text is cut around its first match', () => {
  const text = `${'a '.repeat(100)}target ${'b '.repeat(100)}`;
  const parts = aroundFirstMatch(highlightParts(text, searchTerms('target')), 10, 30);
  assert.equal(parts[0]?.text, '…');
  assert.equal(parts.find((p) => p.match)?.text, 'target');
  assert.equal(parts.at(-1)?.text, '…');
  assert.ok(parts.map((p) => p.text).join('').length <= 32);
});
