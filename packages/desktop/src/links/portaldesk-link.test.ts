import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkInArguments, parsePortaldeskLink } from './portaldesk-link.ts';

test('a portaldesk link names a portal and maybe a dialog', () => {
  assert.deepEqual(parsePortaldeskLink('portaldesk://Acme.Bitrix24.com'), { host: 'acme.bitrix24.com' });
  assert.deepEqual(parsePortaldeskLink('portaldesk://acme.localhost:3000/dialog/chat7'), {
    host: 'acme.localhost:3000',
    dialogId: 'chat7',
  });
  assert.deepEqual(parsePortaldeskLink('portaldesk://acme.bitrix24.com/dialog/15/'), {
    host: 'acme.bitrix24.com',
    dialogId: '15',
  });
});

test('anything else is not a link of ours', () => {
  for (const text of [
    'https://acme.bitrix24.com/dialog/chat7',
    'portaldesk://user:pw@acme.bitrix24.com/',
    'portaldesk://acme.bitrix24.com/dialog/chat7/extra',
    'portaldesk://acme.bitrix24.com/dialog/<script>',
    'portaldesk://acme.bitrix24.com/settings',
    'portaldesk:acme',
    'not a url',
  ]) {
    assert.equal(parsePortaldeskLink(text), undefined, text);
  }
});

test('the first link among the arguments of a launch', () => {
  assert.deepEqual(linkInArguments(['--hidden', 'portaldesk://beta.example.com/dialog/chat2']), {
    host: 'beta.example.com',
    dialogId: 'chat2',
  });
  assert.equal(linkInArguments(['--hidden']), undefined);
});
