import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SweepRounds } from './sweep-rounds.ts';

test('a round visits every item once, a share per tick, in order', () => {
  const items = Array.from({ length: 10 }, (_, n) => n);
  const rounds = new SweepRounds(
    4,
    () => [...items],
    () => true,
  );
  const ticks = Array.from({ length: 4 }, () => rounds.next());
  assert.deepEqual(ticks, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  assert.deepEqual(rounds.next(), [0, 1, 2], 'the next round starts over');
});

test('items gone by their turn are skipped; items that came during a round wait for the next', () => {
  const items = new Set([1, 2, 3, 4]);
  const rounds = new SweepRounds(
    2,
    () => [...items],
    (item) => items.has(item),
  );
  assert.deepEqual(rounds.next(), [1, 2]);
  items.delete(3);
  items.add(5);
  assert.deepEqual(rounds.next(), [4]);
  assert.deepEqual(
    [rounds.next(), rounds.next()],
    [
      [1, 2],
      [4, 5],
    ],
    'the next round has the newcomer, not the gone',
  );
});

test('a round with nothing to visit is quiet', () => {
  const rounds = new SweepRounds(
    3,
    () => [],
    () => true,
  );
  assert.deepEqual([rounds.next(), rounds.next(), rounds.next(), rounds.next()], [[], [], [], []]);
});
