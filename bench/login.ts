/**
 * Password sign-in (`POST /desktop_app/login/`, argon2id): latency and sign-ins per second with
 * 8 clients signing in at once, against the real server in its own process.
 *
 *   npm run bench:login -- [--backend managed|postgres|both] [--seconds 10] [--clients 8] [--cpu-prof]
 */
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '@portaldesk/server/testing';
import { Pool } from 'undici';
import { BACKEND_LABEL, type BenchServer, backendsOf, percentile, startBenchServer } from './bench-server.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
// Several demo accounts, so that the figure is not one user's row being hammered.
const LOGINS = ['alice@example.com', 'carol@example.com', 'dan@example.com', 'alice'];

for (const backend of backendsOf(values.backend)) {
  const server = await startBenchServer({ backend, cpuProfileDir: values['cpu-prof'] ? 'bench/profiles' : undefined });
  try {
    await signIns(server, 2, clients); // warm-up: JIT, connection pool, caches
    const cpuBefore = server.cpuSeconds();
    const { latencies, failed } = await signIns(server, seconds, clients);
    const cpuPerSignIn = ((server.cpuSeconds() - cpuBefore) / Math.max(1, latencies.length)) * 1e3;
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `password sign-in, ${BACKEND_LABEL[backend]}, ${clients} clients, ${seconds} s: ` +
        `${(sorted.length / seconds).toFixed(1)} sign-ins/s, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(1)} ms, server CPU ${cpuPerSignIn.toFixed(1)} ms/sign-in, ` +
        `${sorted.length} ok, ${failed} failed`,
    );
  } finally {
    await server.stop();
  }
}

async function signIns(server: BenchServer, forSeconds: number, concurrency: number) {
  const pool = new Pool(`http://127.0.0.1:${server.port}`, { connections: concurrency });
  const deadline = performance.now() + forSeconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  const client = async (n: number) => {
    for (let i = n; performance.now() < deadline; i++) {
      const body = new URLSearchParams({
        action: 'login',
        login: LOGINS[i % LOGINS.length] ?? 'alice',
        password: DEMO_PASSWORD,
        json: 'y',
      }).toString();
      const started = performance.now();
      const res = await pool.request({
        method: 'POST',
        path: '/desktop_app/login/',
        headers: { host: server.host('acme.localhost'), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await res.body.text();
      if (res.statusCode === 200) latencies.push(performance.now() - started);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => client(n)));
  await pool.close();
  return { latencies, failed };
}
