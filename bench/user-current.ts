/**
 * `user.current` under session auth (cookie): requests per second and latency at 64
 * connections. The server runs in its own process and autocannon in another, so neither shares
 * the other's event loop or core time slice more than the machine forces.
 *
 *   npm run bench:user-current -- [--backend managed|postgres|both] [--seconds 10]
 *     [--connections 64] [--method user.current] [--cpu-prof]
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs, promisify } from 'node:util';
import { DEMO_PASSWORD } from '@portaldesk/server/testing';
import type autocannon from 'autocannon';
import { request } from 'undici';
import { BACKEND_LABEL, type BenchServer, backendsOf, startBenchServer } from './bench-server.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    method: { type: 'string', default: 'user.current' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const execFileAsync = promisify(execFile);
const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

for (const backend of backendsOf(values.backend)) {
  const server = await startBenchServer({ backend, cpuProfileDir: values['cpu-prof'] ? 'bench/profiles' : undefined });
  try {
    const cookie = await signIn(server);
    await load(server, cookie, 3); // warm-up
    const cpuBefore = server.cpuSeconds();
    const result = await load(server, cookie, Number(values.seconds));
    const cpuPerRequest = ((server.cpuSeconds() - cpuBefore) / result.requests.total) * 1e6;
    console.log(
      `${values.method} (session), ${BACKEND_LABEL[backend]}, ${values.connections} connections, ${values.seconds} s: ` +
        `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `server CPU ${Math.round(cpuPerRequest)} µs/request, ${result['2xx']} ok, ${result.non2xx + result.errors} failed`,
    );
  } finally {
    await server.stop();
  }
}

async function signIn(server: BenchServer): Promise<string> {
  const res = await request(`http://127.0.0.1:${server.port}/desktop_app/login/`, {
    method: 'POST',
    headers: { host: server.host('acme.localhost'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'login', login: 'alice', password: DEMO_PASSWORD, json: 'y' }).toString(),
  });
  const answer = (await res.body.json()) as { success: boolean; sessionId?: string };
  if (!answer.success || !answer.sessionId) throw new Error(`Sign-in failed: ${JSON.stringify(answer)}`);
  const check = await request(`http://127.0.0.1:${server.port}/rest/${values.method}.json`, {
    headers: { host: server.host('acme.localhost'), cookie: `PHPSESSID=${answer.sessionId}` },
  });
  const body = await check.body.text();
  if (check.statusCode !== 200) throw new Error(`${values.method} answered ${check.statusCode}: ${body}`);
  return `PHPSESSID=${answer.sessionId}`;
}

async function load(server: BenchServer, cookie: string, seconds: number): Promise<autocannon.Result> {
  const run = await execFileAsync(
    process.execPath,
    [
      autocannonCli,
      '--json',
      ...['-c', String(values.connections), '-d', String(seconds)],
      ...['-H', `host=${server.host('acme.localhost')}`, '-H', `cookie=${cookie}`],
      `http://127.0.0.1:${server.port}/rest/${values.method}.json`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(run.stdout) as autocannon.Result;
}
