import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SweepRounds } from './sweep-rounds.ts';

interface Item {
  name: string;
  since: number;
}

/** Rounds over `items` in which a visited item's waiting time restarts at `now()`. */
function roundsOver(items: Set<Item>, slices: number, now: () => number) {
  const rounds = new SweepRounds(
    slices,
    () => [...items],
    (item) => items.has(item),
    (item) => item.since,
  );
  return () =>
    rounds.next().map((item) => {
      item.since = now();
      return item.name;
    });
}

test('a round visits every item once, a share per tick, longest waiting first', () => {
  const items = new Set(Array.from({ length: 10 }, (_, n) => ({ name: `i${n}`, since: 100 - n })));
  let clock = 1000;
  const next = roundsOver(items, 4, () => clock++);
  const ticks = Array.from({ length: 4 }, () => next());
  assert.deepEqual(ticks, [['i9', 'i8', 'i7'], ['i6', 'i5', 'i4'], ['i3', 'i2', 'i1'], ['i0']]);
  assert.deepEqual(next(), ['i9', 'i8', 'i7'], 'the next round keeps the order: each turn a round apart');
});

test('an item added during a round waits for the next, where its place matches when it came', () => {
  let clock = 0;
  const items = new Set(['a', 'b', 'c', 'd'].map((name) => ({ name, since: clock++ })));
  const next = roundsOver(items, 2, () => clock++);
  assert.deepEqual(next(), ['a', 'b']);
  items.add({ name: 'late', since: clock++ });
  assert.deepEqual(next(), ['c', 'd'], 'not in the round that began before it came');
  assert.deepEqual(
    [next(), next()],
    [
      ['a', 'b', 'late'],
      ['c', 'd'],
    ],
    'in the next, after those visited before it came',
  );
});

test('items gone by their turn are skipped', () => {
  let clock = 0;
  const items = new Set(['a', 'b', 'c', 'd'].map((name) => ({ name, since: clock++ })));
  const next = roundsOver(items, 2, () => clock++);
  assert.deepEqual(next(), ['a', 'b']);
  for (const item of items) if (item.name === 'c') items.delete(item);
  assert.deepEqual(next(), ['d']);
});

test('a round with nothing to visit is quiet', () => {
  const next = roundsOver(new Set(), 3, () => 0);
  assert.deepEqual([next(), next(), next(), next()], [[], [], [], []]);
});
