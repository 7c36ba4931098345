import { parseArgs } from 'node:util';
import type { SyscallTool } from './syscall-count.ts';

/** The command line of the realtime delivery benchmark (realtime-bench.ts); `--help` prints it. */
export const { values } = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    clients: { type: 'string', default: '1000' },
    // From well below what the default install sustains, so that the highest sustained rate is found.
    rates: { type: 'string', default: '100,200,300,500,700,1000,1500,2000' },
    seconds: { type: 'string', default: '5' },
    idle: { type: 'string', default: '10000' },
    /** `stored` (the event log, as messages go) or `transient` (the delivery path alone). */
    path: { type: 'string', default: 'stored' },
    /** How long the server's CPU is watched with the idle connections open. */
    'idle-seconds': { type: 'string', default: '10' },
    /** Counts system calls per message with `perf stat` or `strace -c -f` (see syscall-count.ts). */
    syscalls: { type: 'string' },
    /** Writes the server process's V8 CPU profile(s) into this directory when it stops. */
    'cpu-prof': { type: 'string' },
    /** The servers' LOG_LEVEL: `info` (the default install's) logs every request. */
    'log-level': { type: 'string', default: 'error' },
    /** Messages sent one at a time before the rates (0: none). */
    serial: { type: 'string', default: '0' },
  },
});
if (values.help) {
  console.log(`npm run -s bench:messaging -- [options]

  --clients N        WebSocket clients (JSON-RPC, as the official client), one user each (1000)
  --rates a,b,…      message rates to hold, msg/s, one after the other (100,200,300,500,700,1000,1500,2000)
  --seconds N        seconds per rate (5)
  --serial N         first send N messages one at a time, each after the one before has arrived (0):
                     the cost of a message when nothing is batched, whatever the machine's load
  --idle N           idle connections opened at the end for memory per connection and idle CPU (10000)
  --idle-seconds N   how long idle CPU is measured with them open (10)
  --path P           stored (im.message.add, as messages go) or transient (delivery alone) (stored)
  --syscalls TOOL    count system calls per message (server, and its PostgreSQL / Redis backends):
                     perf (perf stat on syscall tracepoints, light) or strace (strace -c -f, every call by
                     name, but it slows the server so much that rates above ~100 msg/s fall behind)
  --cpu-prof DIR     write the server's V8 CPU profile into DIR (also BENCH_CPU_PROF=DIR)
  --log-level L      the servers' LOG_LEVEL (error); info, the default install's, logs every request

Set-ups:
  default            the server's own managed PostgreSQL cluster, one server process
  DATABASE_URL=postgres://… REDIS_URL=redis://…
                     two server processes (senders on one, clients on the other) on PostgreSQL + Redis

Prints per rate: delivered/sent, p50/p99/p99.9 from send to frame, server CPU per message (and its
PostgreSQL's, or PostgreSQL's and Redis's), the load generator's CPU; then the highest rate with
p99 < 100 ms, memory per idle connection and the server's CPU at idle. On a shared machine compare
CPU per message and system calls per message: latencies follow the other programs' load.`);
  process.exit(0);
}
export const CLIENTS = Number(values.clients);
export const RATES = String(values.rates)
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
export const SECONDS = Number(values.seconds);
export const IDLE = Number(values.idle);
export const IDLE_SECONDS = Number(values['idle-seconds']);
export const SERIAL = Number(values.serial);
export const PROFILE_DIR = values['cpu-prof'] ?? process.env.BENCH_CPU_PROF;
if (values.syscalls !== undefined && values.syscalls !== 'perf' && values.syscalls !== 'strace') {
  throw new Error(`--syscalls must be perf or strace, not ${values.syscalls}`);
}
export const SYSCALL_TOOL: SyscallTool | undefined = values.syscalls;
export const STORED = values.path !== 'transient';
