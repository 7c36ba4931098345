import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePullConfig, parsePullFrame, pullSocketUrl } from './pull-frames.ts';

const config = parsePullConfig({
  server: {
    version: 5,
    websocket: 'ws://acme.localhost:3000/bitrix/subws/',
    websocket_secure: 'wss://acme.localhost/bitrix/subws/',
  },
  api: { revision_web: 19 },
  channels: { private: { id: 'priv1' }, shared: { id: 'shared1' } },
});

test('the socket address carries both channels, the revision, JSON frames and the resume point', () => {
  assert.ok(config);
  const url = new URL(pullSocketUrl(config, 'http://acme.localhost:3000', '42') ?? '');
  assert.equal(url.origin, 'ws://acme.localhost:3000');
  assert.equal(url.searchParams.get('CHANNEL_ID'), 'priv1/shared1');
  assert.equal(url.searchParams.get('revision'), '19');
  assert.equal(url.searchParams.get('format'), 'json');
  assert.equal(url.searchParams.get('mid'), '42');
  assert.equal(url.searchParams.get('sessid'), null);
});

test('an https page uses the secure socket; another host is refused', () => {
  assert.ok(config);
  assert.match(
    pullSocketUrl(config, 'https://acme.localhost', null) ?? '',
    /^wss:\/\/acme\.localhost\/bitrix\/subws\//,
  );
  assert.equal(pullSocketUrl(config, 'http://other.localhost:3000', null), null);
});

test('frames: arrays of envelopes, module ids lower-cased; ping and junk give nothing', () => {
  const frame = JSON.stringify([
    {
      id: 1,
      mid: '7',
      channel: 'c',
      text: { module_id: 'IM', command: 'messageChat', params: { chatId: 1 } },
      extra: { sender: { type: 2, id: '' } },
    },
    { broken: true },
  ]);
  assert.deepEqual(parsePullFrame(frame), [
    { mid: '7', moduleId: 'im', command: 'messageChat', params: { chatId: 1 }, sender: { type: 2, id: '' } },
  ]);
  assert.deepEqual(parsePullFrame('ping'), []);
  assert.deepEqual(parsePullFrame('#!NGINXNMS!#x'), []);
});

test("each event names its sender: a colleague's client, the server, or nobody (unknown)", () => {
  const envelope = (mid: string, extra: unknown) => ({
    mid,
    text: { module_id: 'im', command: 'message', params: {} },
    extra,
  });
  const frame = JSON.stringify([
    envelope('1', { sender: { type: 1, id: '4' } }),
    envelope('2', { sender: { type: 2, id: '' } }),
    envelope('3', {}),
    envelope('4', { sender: { type: 'server' } }),
  ]);
  assert.deepEqual(
    parsePullFrame(frame).map((e) => e.sender),
    [
      { type: 1, id: '4' },
      { type: 2, id: '' },
      { type: 0, id: '' },
      { type: 0, id: '' },
    ],
  );
});
