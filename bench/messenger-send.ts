/**
 * What one `im.message.add` costs through the REST dispatcher (scope and parameter checks, the
 * send's transaction with its events) on the managed PostgreSQL cluster the server runs by
 * default, or on DATABASE_URL. Prints p50/p99 of a send alone and messages/s with several sends
 * in flight.
 *
 *   npx tsx bench/messenger-send.ts            # 2,000 sends
 *   MESSAGES=5000 IN_FLIGHT=16 TARGET=dialog npx tsx bench/messenger-send.ts
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/messenger-send.ts
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { systemClock } from '@portaldesk/server';
import { type AuthContext, createAppContext } from '@portaldesk/server/testing';
import pino from 'pino';
import { openBenchDatabase } from './bench-database.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 2000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 8);
const SENDERS = 20;
/** `mixed` (half and half), `dialog` (one-to-one only) or `chat` (the group chat only). */
const TARGET = process.env.TARGET ?? 'mixed';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function main() {
  const { db, label: backend, close } = await openBenchDatabase();
  const context = createAppContext({
    db,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    sendRateLimit: { messages: 1_000_000, seconds: 1 },
  });
  const portal = await context.portals.create({ domain: 'bench.localhost', name: 'Bench' });
  const users: { id: number }[] = [];
  for (let n = 0; n < SENDERS; n++) {
    users.push(await context.users.create(portal.id, { firstName: `User${n}`, lastName: 'Bench' }));
  }
  const auth = (userId: number): AuthContext => ({
    portal,
    userId,
    via: 'oauth',
    scopes: new Set(['im']),
    mayChangeState: true,
    credentialId: 'bench',
  });
  const invoke = (userId: number, params: Record<string, unknown>) =>
    context.dispatcher.invoke({ method: 'im.message.add', params, auth: auth(userId), ip: '127.0.0.1' });
  const first = users[0]!.id;
  const chatId = (
    await context.dispatcher.invoke({
      method: 'im.chat.add',
      params: { USERS: users.map((u) => u.id), TITLE: 'Bench' },
      auth: auth(first),
      ip: '127.0.0.1',
    })
  ).result as number;
  // Half the sends go to one-to-one dialogs, half to a group chat of all senders (or all to one kind).
  const toDialog = (n: number) => (TARGET === 'dialog' ? true : TARGET === 'chat' ? false : n % 2 === 0);
  const target = (n: number) => (toDialog(n) ? String(users[(n + 1) % SENDERS]!.id) : `chat${chatId}`);
  for (let n = 0; n < 50; n++) await invoke(users[n % SENDERS]!.id, { DIALOG_ID: target(n), MESSAGE: 'warm-up' });

  const latencies: number[] = [];
  // CPU time as well as wall time: on a shared machine wall time says more about the neighbours.
  const cpuBefore = process.cpuUsage();
  for (let n = 0; n < MESSAGES / 2; n++) {
    const started = performance.now();
    await invoke(users[n % SENDERS]!.id, { DIALOG_ID: target(n), MESSAGE: `sequential ${n}`, UUID: `s-${n}` });
    latencies.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerSend = (cpu.user + cpu.system) / 1000 / (MESSAGES / 2);
  latencies.sort((a, b) => a - b);

  let next = 0;
  const inFlight: number[] = [];
  const startedAll = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < MESSAGES / 2) {
        const n = next++;
        const started = performance.now();
        await invoke(users[n % SENDERS]!.id, { DIALOG_ID: target(n), MESSAGE: `concurrent ${n}`, UUID: `c-${n}` });
        inFlight.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - startedAll) / 1000;
  inFlight.sort((a, b) => a - b);

  // The same clock for the simplest round trip, to read the send's cost in trivial statements.
  const cpuBeforeTrivial = process.cpuUsage();
  for (let n = 0; n < 500; n++) await db.query('SELECT 1');
  const trivial = process.cpuUsage(cpuBeforeTrivial);
  const cpuPerTrivial = (trivial.user + trivial.system) / 1000 / 500;

  console.log(
    `im.message.add through the dispatcher on ${backend}, ${SENDERS} senders, to: ${TARGET} (chat: ${SENDERS} members)`,
  );
  console.log(
    `one at a time: ${latencies.length} sends, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ${(latencies.length / (latencies.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)} messages/s`,
  );
  console.log(
    `${IN_FLIGHT} in flight:   ${inFlight.length} sends, p50 ${percentile(inFlight, 50).toFixed(2)} ms, p99 ${percentile(inFlight, 99).toFixed(2)} ms, ${(inFlight.length / seconds).toFixed(0)} messages/s`,
  );
  console.log(
    `CPU per send (one at a time): ${cpuPerSend.toFixed(2)} ms, so at most ${(1000 / cpuPerSend).toFixed(0)} messages/s per core (load average now ${loadavg()[0]?.toFixed(1)})`,
  );
  console.log(
    `CPU per SELECT 1 round trip: ${cpuPerTrivial.toFixed(3)} ms, so a send costs ${(cpuPerSend / cpuPerTrivial).toFixed(1)} of them`,
  );
  await close();
}

await main();
