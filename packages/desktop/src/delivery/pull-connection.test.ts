import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { PullConnection, type PushEvent } from './pull-connection.ts';

// The realtime client against a small WebSocket server that speaks the documented protocol
// (JSON-RPC `incoming.message`, `mack:`, `ping`): what it sends, how it resumes, how it follows
// the server's control commands. The end-to-end path runs in background-delivery.test.ts.

interface Connected {
  socket: WebSocket;
  url: URL;
  received: string[];
}

const http = createServer();
const wss = new WebSocketServer({ server: http });
const connections: Connected[] = [];
let port: number;
let configsServed = 0;

before(async () => {
  wss.on('connection', (socket, request: IncomingMessage) => {
    const connected: Connected = { socket, url: new URL(request.url ?? '/', 'ws://127.0.0.1'), received: [] };
    socket.on('message', (data) => connected.received.push(data.toString()));
    connections.push(connected);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
});
after(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => http.close(resolve));
});

function config() {
  configsServed += 1;
  return {
    server: { websocket: `ws://localhost:${port}/sub/`, websocket_secure: '' },
    channels: { private: { id: `private${configsServed}` }, shared: { id: 'shared' } },
  };
}

const FROM_SERVER = { type: 2, id: '' };

function push(
  socket: WebSocket,
  mid: string,
  moduleId: string,
  command: string,
  params: Record<string, unknown> = {},
  sender: unknown = FROM_SERVER,
) {
  socket.send(
    JSON.stringify({
      jsonrpc: '2.0',
      method: 'incoming.message',
      params: { mid, body: { module_id: moduleId, command, params, extra: { sender } }, expiry: 0, sender },
    }),
  );
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('connects with the channels, revision 19 and JSON-RPC; acknowledges and resumes from the last mid', async () => {
  const events: PushEvent[] = [];
  let reconnected = 0;
  const pull = new PullConnection({
    loadConfig: async () => config(),
    onEvent: (event) => events.push(event),
    onReconnected: () => reconnected++,
    backoffMs: [50],
  });
  pull.start();
  try {
    await until('connected', () => connections.length === 1);
    const first = connections[0]!;
    assert.equal(first.url.pathname, '/sub/');
    assert.equal(first.url.searchParams.get('CHANNEL_ID'), 'private1/shared');
    assert.equal(first.url.searchParams.get('revision'), '19');
    assert.equal(first.url.searchParams.get('jsonRpc'), 'true');
    assert.equal(first.url.searchParams.get('mid'), null, 'a first connection resumes from nothing');

    first.socket.send('ping');
    push(first.socket, '41', 'im', 'message', { text: 'hi' });
    push(first.socket, '42', 'im', 'messageChat', { text: 'all' });
    await until('two events', () => events.length === 2);
    assert.deepEqual(
      events.map((e) => [e.mid, e.command]),
      [
        ['41', 'message'],
        ['42', 'messageChat'],
      ],
    );
    await until('answers', () => first.received.length === 3);
    assert.deepEqual(first.received, ['pong', 'mack:41', 'mack:42']);

    first.socket.terminate();
    await until('reconnected', () => connections.length === 2);
    const second = connections[1]!;
    assert.equal(second.url.searchParams.get('mid'), '42', 'the reconnect resumes after the last event');
    assert.equal(second.url.searchParams.get('CHANNEL_ID'), 'private1/shared', 'the same channel, no new config');
    await until('told', () => reconnected === 1);

    push(second.socket, '42.1', 'pull', 'channel_expire', { action: 'reconnect' });
    await until('a new config and connection', () => connections.length === 3);
    assert.equal(connections[2]!.url.searchParams.get('CHANNEL_ID'), 'private2/shared');
    assert.equal(connections[2]!.url.searchParams.get('mid'), '42.1');
    assert.equal(events.length, 2, 'control commands are not events');
  } finally {
    pull.stop();
  }
});

test("what a colleague's client published (or what names no sender) is acknowledged, never acted on", async () => {
  const events: PushEvent[] = [];
  const pull = new PullConnection({
    loadConfig: async () => config(),
    onEvent: (e) => events.push(e),
    backoffMs: [50],
  });
  const before = connections.length;
  pull.start();
  try {
    await until('connected', () => connections.length === before + 1);
    const socket = connections[before]!;
    const fromDan = { type: 1, id: '4' };
    push(socket.socket, '7.1', 'im', 'message', { message: { id: 1, senderId: 1, text: 'forged' } }, fromDan);
    push(socket.socket, '7.2', 'IM', 'notifyAdd', { text: 'forged' }, fromDan);
    push(socket.socket, '7.3', 'im', 'messageDelete', { id: 5 }, null);
    push(socket.socket, '7.4', 'pull', 'channel_expire', { action: 'reconnect' }, fromDan);
    push(socket.socket, '7.5', 'IM', 'message', { text: 'real' });
    await until('the real one', () => events.length === 1);
    assert.deepEqual(
      events.map((e) => [e.mid, e.moduleId, e.command]),
      [['7.5', 'im', 'message']],
    );
    await until('acknowledged', () => socket.received.length === 5);
    assert.deepEqual(socket.received, ['mack:7.1', 'mack:7.2', 'mack:7.3', 'mack:7.4', 'mack:7.5']);
    assert.equal(connections.length, before + 1, 'a forged channel_expire does not reconnect');
    assert.equal(pull.resumeMid, '7.5');
  } finally {
    pull.stop();
  }
});

test('a failing config is retried with backoff, and stop() ends every attempt', async () => {
  let calls = 0;
  const states: string[] = [];
  const pull = new PullConnection({
    loadConfig: async () => {
      calls += 1;
      throw Object.assign(new Error('offline'), { code: 'NETWORK' });
    },
    onEvent: () => undefined,
    onState: (state) => states.push(state),
    backoffMs: [20, 40],
  });
  pull.start();
  await until('three attempts', () => calls >= 3);
  pull.stop();
  const after = calls;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(calls, after, 'no attempt after stop');
  assert.ok(states.includes('offline'));
});
