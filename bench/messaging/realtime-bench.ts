/**
 * Realtime delivery benchmark: N WebSocket clients (JSON-RPC mode, as the official client), senders
 * at fixed rates, each delivery timed from the start of the send to the frame's arrival at the
 * recipient; then the server's memory per idle connection.
 *
 *   npm run -s bench:messaging -- [--clients 1000] [--rates 100,200,300,500,700,1000,1500,2000]
 *        [--seconds 5] [--idle 10000] [--idle-seconds 10] [--path stored|transient] [--strace] [--cpu-prof DIR]
 *
 * `--help` prints the options and the set-ups. CPU per message is the figure to compare when the
 * machine is shared: latencies grow with other programs' load, CPU time per message far less.
 *
 * Embedded database by default. With DATABASE_URL and REDIS_URL: two server processes on one
 * PostgreSQL and one Redis, the senders on one and the clients on the other, so every delivery
 * crosses the bus.
 *
 * Sending is a REST `im.message.add` with each sender's session (cookie + sessid), timed from the
 * start of the call. Where the server has no `im.message.add`, events are written through the
 * server process's own EventLog (record in a transaction, announce after commit), ordered over IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PullConfig, RealtimeEvent } from '@portaldesk/protocol';
import { type ChildSession, openPostgresDatabase, quoteIdentifier, RealtimeChild } from '@portaldesk/server/testing';
import { BenchSenders, openRealtimeClients } from './bench-clients.ts';
import {
  CLIENTS,
  IDLE,
  IDLE_SECONDS,
  PROFILE_DIR,
  RATES,
  SECONDS,
  SERIAL,
  STORED,
  SYSCALL_TOOL,
  values,
} from './bench-options.ts';
import { CORES, cpuMicrosBetween, cpuMicrosOfDescendants, cpuMicrosOfProcesses } from './process-cpu.ts';
import { SyscallCounter, syscallsPerMessage } from './syscall-count.ts';

const scaleOut = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const schema = `bench_${process.pid}`;
const dataDir = scaleOut ? null : mkdtempSync(join(tmpdir(), 'portaldesk-bench-'));
if (!scaleOut) {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
}
/** Names the servers' database connections, so that --strace can find their backends among others'. */
const APPLICATION_NAME = `portaldesk-bench-${process.pid}`;
const withApplicationName = (url: string) => {
  const named = new URL(url);
  named.searchParams.set('application_name', APPLICATION_NAME);
  return named.toString();
};
const childEnv = {
  LOG_LEVEL: String(values['log-level']),
  // The per-user send limit (60 in 10 s by default) is not what is measured: few clients sending one
  // after another would run into it.
  SEND_RATE_LIMIT: '1000000/1',
  ...(dataDir ? { PORTALDESK_DATA: dataDir } : {}),
  ...(scaleOut && process.env.DATABASE_URL ? { DATABASE_URL: withApplicationName(process.env.DATABASE_URL) } : {}),
};

console.log(STORED ? 'path: stored events (record + announce)' : 'path: transient pushes (delivery alone)');
console.log(
  scaleOut
    ? 'back end: PostgreSQL + Redis, 2 server processes (senders on one, clients on the other)'
    : 'back end: managed PostgreSQL (the default), 1 server process',
);
const senderSide = await RealtimeChild.start(schema, childEnv, [
  '--expose-gc',
  ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
]);
const clientSide = scaleOut ? await RealtimeChild.start(schema, childEnv, ['--expose-gc']) : senderSide;
const serverPids = [...new Set([senderSide.process.pid ?? 0, clientSide.process.pid ?? 0])];

interface Setup {
  portalId: number;
  userIds: number[];
}
const { portalId, userIds } = await senderSide.ask<Setup>({ type: 'setup', domain: 'bench.localhost', users: CLIENTS });
const configs: PullConfig[] = [];
for (const userId of userIds) {
  configs.push(await senderSide.ask<PullConfig>({ type: 'config', portalId, userId, credentialId: `bench-${userId}` }));
}

const sessions: ChildSession[] = [];
for (const userId of userIds)
  sessions.push(await senderSide.ask<ChildSession>({ type: 'open-session', portalId, userId }));

const senders = new BenchSenders(senderSide.port, sessions);
const restSend = (fromIndex: number, to: number, text: string) => senders.send(fromIndex, to, text);
const VIA_REST = STORED && (await restSend(0, userIds[1] as number, 'probe')) === 200;
console.log(
  VIA_REST ? 'sending: REST im.message.add' : 'sending: EventLog in the server process (no im.message.add here)',
);

/** Send times by message number, and arrival latencies at the recipients. */
const sentAt = new Map<number, number>();
const latencies: number[] = [];
let duplicates = 0;
const seen = new Set<number>();

type BenchParams = { n?: number; to?: number; message?: { text?: string } };
/** The message number and its recipient, from an `im` `message` event or a bench event. */
function readBench(params: BenchParams): { n: number; to: number } {
  const match = /^bench (\d+) (\d+)$/.exec(params.message?.text ?? '');
  if (match) return { n: Number(match[1]), to: Number(match[2]) };
  return { n: params.n ?? -1, to: params.to ?? -1 };
}

/** A delivery to `userId`: timed when it is a bench message meant for them. */
function onDelivery(userId: number, event: RealtimeEvent): void {
  const { n, to } = readBench(event.params as BenchParams);
  if (to !== userId) return;
  const start = sentAt.get(n);
  if (start === undefined) return;
  if (seen.has(n)) duplicates++;
  else {
    seen.add(n);
    latencies.push(performance.now() - start);
    arrivals.get(n)?.();
    arrivals.delete(n);
  }
}

const benchUsers = userIds.map((userId, k) => ({ userId, config: configs[k] as PullConfig }));

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
const ms = (x: number) => `${x.toFixed(1)} ms`;

type Usage = { rss: number; heapUsed: number; external: number; cpuMicros: number; connections: number };
/** Not read through `memory`: its full collections would be counted as the messages' CPU. */
const cpuOf = (child: RealtimeChild) => child.ask<number>({ type: 'cpu' });

/**
 * Each sender's first message opens its dialog (a chat, its members, the pair's index), which
 * costs several times a message to a dialog that exists. Opened before the timed rates, so that
 * they measure messaging as it mostly is; the opening rate is printed on its own.
 */
async function openDialogs(): Promise<void> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < CLIENTS) {
        const index = next++;
        await restSend(index, userIds[(index + 1) % CLIENTS] as number, 'hello');
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `dialogs opened by a first message: ${CLIENTS} in ${seconds.toFixed(1)} s (${(CLIENTS / seconds).toFixed(0)}/s)`,
  );
}

let counter = 0;
/** The database and bus servers' processes: their CPU counts towards what a message costs. */
const BACKING_SERVICES = ['postgres', 'redis-server'];
/** Scaled out: the PostgreSQL server and Redis; by default: the server's own cluster. */
const servicesCpu = () =>
  scaleOut ? cpuMicrosOfProcesses(BACKING_SERVICES) : cpuMicrosOfDescendants(senderSide.process.pid ?? 0);
const selfCpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * The processes whose system calls are counted: the servers, then their PostgreSQL and Redis
 * (scaled out: the servers' own backends, not those of whatever else uses that PostgreSQL).
 */
async function tracedPids(): Promise<{ servers: number[]; services: number[] }> {
  if (!scaleOut || !process.env.DATABASE_URL) {
    return { servers: serverPids, services: [...(servicesCpu()?.keys() ?? [])].map(Number) };
  }
  const db = await openPostgresDatabase({ connectionString: process.env.DATABASE_URL, maxConnections: 1 });
  const backends = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    APPLICATION_NAME,
  ]);
  await db.close();
  const redis = [...(cpuMicrosOfProcesses(['redis-server'])?.keys() ?? [])].map(Number);
  return { servers: serverPids, services: [...backends.map((b) => b.pid), ...redis] };
}

/** Waits (60 s at most) until the server and its database have used less than a tenth of a core for a second. */
async function settled(): Promise<void> {
  const busy = async () => {
    const server = (await cpuOf(senderSide)) + (scaleOut ? await cpuOf(clientSide) : 0);
    const services = servicesCpu();
    return { server, services };
  };
  for (let i = 0; i < 60; i++) {
    const before = await busy();
    await new Promise((r) => setTimeout(r, 1000));
    const after = await busy();
    const services =
      before.services && after.services ? cpuMicrosBetween(before.services, after.services, !scaleOut) : 0;
    if (after.server - before.server + services < 100_000) return;
  }
}

/** Sends at `rate` messages a second for the set number of seconds. */
function runRate(rate: number) {
  return measured(`${String(rate).padStart(5)} msg/s`, rate, rate * SECONDS, async (start) => {
    let sent = 0;
    const total = rate * SECONDS;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
        for (; sent < due; sent++) send();
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
  });
}

/**
 * Sends `count` messages one at a time, each once the one before has reached its recipient: no
 * two sends ever share a commit, a write or a wake-up, whatever the machine's load. What a message
 * costs when nothing is batched (a quiet server), without the timing of a low rate.
 */
function runSerial(count: number) {
  return measured(`one at a time (${count})`, 0, count, async () => {
    for (let i = 0; i < count; i++) {
      const n = send();
      // A send that failed never arrives: the next goes after a while instead of never.
      await new Promise<void>((resolve) => {
        const giveUp = setTimeout(resolve, 10_000);
        arrivals.set(n, () => {
          clearTimeout(giveUp);
          resolve();
        });
      });
    }
  });
}

/** Resolves when the message of that number reaches its recipient (serial sending). */
const arrivals = new Map<number, () => void>();

/** Sends the next message (a one-to-one one: the sender's and the recipient's clients get it); answers its number. */
function send(): number {
  const n = ++counter;
  const from = userIds[n % CLIENTS] as number;
  const to = userIds[(n + 1) % CLIENTS] as number;
  sentAt.set(n, performance.now());
  if (VIA_REST) restSend(n % CLIENTS, to, `bench ${n} ${to}`).catch(() => undefined);
  else
    senderSide
      .ask({ type: 'publish', portalId, userIds: [from, to], n, params: { n, to }, stored: STORED })
      .catch(() => undefined);
  return n;
}

async function measured(label: string, rate: number, total: number, drive: (start: number) => Promise<void>) {
  // What the rate before left behind (autovacuum of what it wrote, deliveries still queued) is not this rate's.
  await settled();
  const traced = SYSCALL_TOOL ? await tracedPids() : null;
  const counters =
    SYSCALL_TOOL && traced
      ? await Promise.all([
          SyscallCounter.attach(SYSCALL_TOOL, traced.servers),
          SyscallCounter.attach(SYSCALL_TOOL, traced.services),
        ])
      : null;
  const cpuBefore = [await cpuOf(senderSide), scaleOut ? await cpuOf(clientSide) : 0];
  const servicesBefore = servicesCpu();
  const selfBefore = selfCpu();
  sentAt.clear();
  seen.clear();
  latencies.length = 0;
  duplicates = 0;
  const start = performance.now();
  await drive(start);
  const sendSeconds = (performance.now() - start) / 1000;
  const deadline = performance.now() + 10_000;
  while (seen.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const cpuAfter = [await cpuOf(senderSide), scaleOut ? await cpuOf(clientSide) : 0];
  const servicesAfter = servicesCpu();
  if (counters) {
    const [servers, services] = await Promise.all(counters.map((c) => c.stop()));
    console.log(
      `  system calls per message (${SYSCALL_TOOL}): server ${syscallsPerMessage(servers as Map<string, number>, total)}; ` +
        `${scaleOut ? 'PostgreSQL/Redis' : 'its PostgreSQL'} ${syscallsPerMessage(services as Map<string, number>, total)}`,
    );
  }
  // The clients and senders of this process share the machine with the server.
  const loadCpuPerMessage = (selfCpu() - selfBefore) / total;
  const servicesCpuPerMessage =
    servicesBefore && servicesAfter ? cpuMicrosBetween(servicesBefore, servicesAfter, !scaleOut) / total : null;
  // Server CPU per message, all server processes together: a figure the machine's load does not distort.
  const cpuPerMessage = ((cpuAfter[0] ?? 0) - (cpuBefore[0] ?? 0) + (cpuAfter[1] ?? 0) - (cpuBefore[1] ?? 0)) / total;
  const sorted = [...latencies].sort((a, b) => a - b);
  const result = {
    rate,
    delivered: seen.size,
    sent: total,
    duplicates,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    sendSeconds,
    cpuPerMessage,
  };
  console.log(
    `${label}: delivered ${result.delivered}/${total} (dup ${duplicates}), ` +
      `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, p99.9 ${ms(result.p999)}, sending took ${sendSeconds.toFixed(1)} s, ` +
      `server CPU ${cpuPerMessage.toFixed(0)} µs/message` +
      (servicesCpuPerMessage === null
        ? ''
        : ` + ${scaleOut ? 'PostgreSQL/Redis' : 'its PostgreSQL'} ${servicesCpuPerMessage.toFixed(0)} µs`) +
      `, load generator ${loadCpuPerMessage.toFixed(0)} µs (of ${CORES} cores)`,
  );
  return result;
}

try {
  console.log(`${CLIENTS} clients connecting…`);
  const active = await openRealtimeClients(CLIENTS, benchUsers, clientSide.port, onDelivery);
  await new Promise((r) => setTimeout(r, 1000));
  if (VIA_REST) await openDialogs();
  if (SERIAL > 0) await runSerial(SERIAL);
  const results = [];
  for (const rate of RATES) results.push(await runRate(rate));
  const sustained = results.filter((r) => r.delivered === r.sent && r.p99 < 100 && r.sendSeconds < SECONDS * 1.2);
  console.log(
    `highest sustained rate with p99 < 100 ms: ${sustained.length ? Math.max(...sustained.map((r) => r.rate)) : 'none'} msg/s`,
  );
  for (const session of active) session.stop();
  await new Promise((r) => setTimeout(r, 2000));

  const before = await clientSide.ask<Usage>({ type: 'memory' });
  console.log(`${IDLE} idle connections opening…`);
  const idle = await openRealtimeClients(IDLE, benchUsers, clientSide.port, null);
  await new Promise((r) => setTimeout(r, 3000));
  const afterOpen = await clientSide.ask<Usage>({ type: 'memory' });
  if (idle.length < IDLE)
    console.log(`  only ${idle.length} of ${IDLE} opened (this process's file descriptor limit?)`);
  const per = (key: 'rss' | 'heapUsed' | 'external') =>
    (afterOpen[key] - before[key]) / Math.max(1, idle.length) / 1024;
  console.log(
    `server memory per idle connection (${afterOpen.connections} open): ` +
      `rss ${per('rss').toFixed(1)} KB, heap ${per('heapUsed').toFixed(1)} KB, external ${per('external').toFixed(1)} KB`,
  );
  if (IDLE_SECONDS > 0) {
    // Keepalive pings and timers only: what open connections cost while nobody writes, once the
    // openings' own work (presence, resume points) is done.
    await settled();
    const idleBefore = [await cpuOf(senderSide), scaleOut ? await cpuOf(clientSide) : 0];
    const servicesIdleBefore = servicesCpu();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleAfter = [await cpuOf(senderSide), scaleOut ? await cpuOf(clientSide) : 0];
    const servicesIdleAfter = servicesCpu();
    const perSecond = (micros: number) => `${(micros / IDLE_SECONDS / 1000).toFixed(1)} ms/s`;
    const server = (idleAfter[0] ?? 0) - (idleBefore[0] ?? 0) + (idleAfter[1] ?? 0) - (idleBefore[1] ?? 0);
    const services =
      servicesIdleBefore && servicesIdleAfter
        ? ` + ${scaleOut ? 'PostgreSQL/Redis' : 'its PostgreSQL'} ${perSecond(cpuMicrosBetween(servicesIdleBefore, servicesIdleAfter, !scaleOut))}`
        : '';
    console.log(
      `server CPU at idle with ${afterOpen.connections} connections open: ${perSecond(server)}${services} ` +
        `(CPU time per second of wall time, over ${IDLE_SECONDS} s)`,
    );
  }
  for (const session of idle) session.stop();
} finally {
  await senderSide.stop();
  if (clientSide !== senderSide) await clientSide.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (scaleOut && process.env.DATABASE_URL) {
    const db = await openPostgresDatabase({ connectionString: process.env.DATABASE_URL, maxConnections: 1 });
    await db.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await db.close();
  }
}
