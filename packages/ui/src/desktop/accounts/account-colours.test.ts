import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountColours } from './account-colours.ts';

test('listed accounts never share a monogram colour, and each keeps its colour as others come and go', () => {
  const ids = Array.from({ length: 10 }, (_, n) => `account-${n}`);
  const colours = accountColours(ids);
  assert.equal(new Set(colours.values()).size, 10);
  assert.equal(accountColours([ids[3]!]).get(ids[3]!), accountColours([ids[3]!, 'other']).get(ids[3]!));
});
