import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RealtimeEvent } from '@portaldesk/protocol';
import {
  createPortalWithUsers,
  localhostLookup,
  openSession,
  type PortalFixture,
  startTestServer,
  type TestServer,
} from '@portaldesk/server/testing';
import WebSocket from 'ws';
import { RestClient } from '../rest/rest-client.ts';
import { RealtimeSession, type RealtimeSessionOptions } from './realtime-session.ts';
import { standardSockets } from './realtime-socket.ts';
import type { SessionClock } from './session-clock.ts';

// The one realtime session against a real server: config, connect, events, acknowledgement,
// resume after a drop, and (with a clock the test drives) back-off and keepalive.

let server: TestServer;
let acme: PortalFixture;
let ann: RestClient;
let bob: RestClient;

/** `ws` resolving `*.localhost` here; the sockets it opened, to cut them as a network would. */
const opened: WebSocket[] = [];
class LocalhostWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { lookup: localhostLookup });
    opened.push(this);
  }
}

before(async () => {
  server = await startTestServer();
  acme = await createPortalWithUsers(server, 'acme.localhost', 2);
  const rest = async (userId: number) => {
    const session = await openSession(server, acme.portal, userId);
    return new RestClient({
      fetch: (url, init) => server.fetch(url, init),
      baseUrl: server.portalUrl('acme.localhost'),
      authentication: { kind: 'session', sessid: () => session.sessid, cookie: () => session.headers.cookie! },
    });
  };
  ann = await rest(acme.users[0]!.id);
  bob = await rest(acme.users[1]!.id);
});
after(() => server.close());

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function annSession(overrides: Partial<RealtimeSessionOptions> = {}) {
  const events: RealtimeEvent[] = [];
  let resumed = 0;
  const session = new RealtimeSession({
    loadConfig: () => ann.call('pull.config.get', { CACHE: 'N' }),
    openSocket: standardSockets(LocalhostWebSocket as never),
    framing: 'json-rpc',
    onEvent: (event) => events.push(event),
    onResumed: () => resumed++,
    backoffMs: [20],
    ...overrides,
  });
  return { session, events, resumed: () => resumed };
}

const sendToAnn = (text: string) => bob.call<number>('im.message.add', { DIALOG_ID: acme.users[0]!.id, MESSAGE: text });
const texts = (events: RealtimeEvent[]) =>
  events.filter((e) => e.command === 'message').map((e) => (e.params.message as { text: string }).text);

test('receives what is sent, resumes after a drop from the last mid: what was missed arrives once', async () => {
  const { session, events, resumed } = annSession();
  session.start();
  try {
    await until('online', () => session.state === 'online');
    await sendToAnn('before the drop');
    await until('the first message', () => texts(events).length === 1);
    const first = events.find((e) => e.command === 'message')!;
    assert.equal(first.moduleId, 'im');
    assert.equal(first.sender.type, 2, 'sent by the server');

    opened.at(-1)!.terminate();
    await until('offline', () => session.state !== 'online');
    await sendToAnn('while away');
    await until('back', () => resumed() === 1 && session.state === 'online');
    await until('the missed message', () => texts(events).length === 2);
    await sendToAnn('after');
    await until('the next message', () => texts(events).length === 3);
    assert.deepEqual(texts(events), ['before the drop', 'while away', 'after']);
    const mids = events.map((e) => e.mid);
    assert.equal(new Set(mids).size, mids.length, 'nothing twice');
    assert.equal(session.resumeMid, mids.at(-1));
  } finally {
    session.stop();
  }
});

test('plain JSON framing (the pages) gets the same events', async () => {
  const { session, events } = annSession({ framing: 'json', pageOrigin: server.portalUrl('acme.localhost') });
  session.start();
  try {
    await until('online', () => session.state === 'online');
    await sendToAnn('to the page');
    await until('the message', () => texts(events).includes('to the page'));
  } finally {
    session.stop();
  }
});

/** A session whose config call always fails with `code`; `calls()` counts the calls. */
function failingConfigSession(code: string, overrides: Partial<RealtimeSessionOptions>) {
  let calls = 0;
  const session = new RealtimeSession({
    loadConfig: async () => {
      calls++;
      throw Object.assign(new Error(code), { code });
    },
    openSocket: standardSockets(LocalhostWebSocket as never),
    framing: 'json-rpc',
    onEvent: () => undefined,
    ...overrides,
  });
  return { session, calls: () => calls };
}

test('a portal whose config call is refused for good is left alone', async () => {
  const gone = failingConfigSession('ERROR_METHOD_NOT_FOUND', {
    givesUp: (error) => (error as { code?: string }).code === 'ERROR_METHOD_NOT_FOUND',
  });
  gone.session.start();
  await until('stopped', () => gone.session.state === 'stopped');
  assert.equal(gone.calls(), 1);
});

/** A clock the test moves by hand. */
function manualClock(): SessionClock & { advance(ms: number): void; sleep(ms: number): void; pending(): number[] } {
  let now = 1_000_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    random: () => 0.5,
    setTimeout(run, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    /** The machine sleeps: time passes and no timer runs; on waking, what is due runs late. */
    sleep(ms) {
      now += ms;
      this.advance(0);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
      }
      now = until;
    },
  };
}

test('failures back off along the schedule (jitter applied); stop() ends every timer', async () => {
  const clock = manualClock();
  const { session, calls } = failingConfigSession('NETWORK_ERROR', {
    backoffMs: [100, 1_000, 5_000],
    jitter: 0.2,
    keepaliveMs: 20_000,
    clock,
  });
  session.start();
  await until('first attempt', () => calls() === 1 && session.state === 'offline');
  assert.deepEqual(clock.pending(), [100, 5_000], 'the first wait, and the keepalive look');
  clock.advance(100);
  await until('second attempt', () => calls() === 2 && clock.pending()[0] === 1_000);
  clock.advance(1_000);
  await until('third attempt', () => calls() === 3 && clock.pending().includes(5_000));
  clock.advance(5_000);
  await until('fourth attempt', () => calls() === 4 && clock.pending().includes(5_000));
  session.stop();
  assert.deepEqual(clock.pending(), [], 'stop() ends every timer');
});

/** A session on sockets that open and record what is sent to them, and never answer. */
function silentSocketSession(clock: SessionClock, keepaliveMs: number) {
  const sent: string[] = [];
  let opens = 0;
  const session = new RealtimeSession({
    loadConfig: async () => ({ server: { websocket: 'ws://acme.localhost/sub/' }, channels: { private: { id: 'p' } } }),
    openSocket: (_url, handlers) => {
      opens++;
      queueMicrotask(() => handlers.open());
      return { send: (text) => sent.push(text), close: () => sent.push('(closed)') };
    },
    framing: 'json-rpc',
    onEvent: () => undefined,
    keepaliveMs,
    clock,
  });
  return { session, sent, opens: () => opens };
}

test('a look at the socket far later than planned (the machine slept) reconnects at once', async () => {
  const clock = manualClock();
  const { session, opens } = silentSocketSession(clock, 20_000);
  session.start();
  await until('online', () => session.state === 'online');
  clock.advance(4_000);
  assert.equal(opens(), 1);
  clock.sleep(60_000);
  await until('reconnected', () => opens() === 2);
  session.stop();
});

test('the keepalive pings an open socket and drops one that stays silent', async () => {
  const clock = manualClock();
  const { session, sent } = silentSocketSession(clock, 1_000);
  session.start();
  await until('online', () => session.state === 'online');
  clock.advance(750);
  assert.deepEqual(sent, [], 'quiet for less than the interval: no ping');
  clock.advance(250);
  assert.deepEqual(sent, ['ping']);
  clock.advance(2_000);
  assert.deepEqual(sent, ['ping', 'ping', 'ping'], 'one ping an interval while nothing answers');
  clock.advance(250);
  assert.deepEqual(sent, ['ping', 'ping', 'ping', '(closed)'], 'silent for three intervals: dropped');
  session.stop();
});
