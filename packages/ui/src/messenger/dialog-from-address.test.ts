import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dialogFromAddress } from './dialog-from-address.ts';

test('IM_DIALOG in the address names the dialog to open', () => {
  assert.equal(dialogFromAddress('?IM_DIALOG=chat7'), 'chat7');
  assert.equal(dialogFromAddress('?x=1&IM_DIALOG=15'), '15');
  assert.equal(dialogFromAddress(''), null);
  assert.equal(dialogFromAddress('?IM_DIALOG=chat7%3Cscript%3E'), null);
  assert.equal(dialogFromAddress('?IM_DIALOG=-3'), null);
});
