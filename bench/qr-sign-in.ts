/**
 * Latency of one complete QR sign-in, step by step (create, scan, confirm, approve, the desktop
 * hearing of the approval over SSE, redeem), on the server's default database, run `rounds` times one
 * after another. Prints the median and the 95th percentile of each step in milliseconds.
 *
 *   npx tsx bench/qr-sign-in.ts [rounds]
 */
import { Writable } from 'node:stream';
import { type QrFetch, type QrPhoneView, QrSignInDesktopClient } from '@portaldesk/protocol';
import { createLogger, loadConfig, startServer } from '@portaldesk/server';
import { DEFAULT_QR_LIMITS, hashPassword, localhostFetch, type QrLimitSettings } from '@portaldesk/server/testing';
import { openBenchDatabase } from './bench-database.ts';

const rounds = Number(process.argv[2] ?? 30);
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const config = { ...loadConfig({ PORT: '0', PORTALDESK_DEMO: 'false' }), dataDir: '' };
// One user signs in many desktops here, far past what a person does: lift the limits.
const qrLimits = Object.fromEntries(
  Object.keys(DEFAULT_QR_LIMITS).map((name) => [name, { points: 1_000_000, windowSeconds: 60 }]),
) as QrLimitSettings;
const database = await openBenchDatabase();
const server = await startServer({
  config,
  logger: createLogger('warn', discard),
  db: database.db,
  qrLimits,
});
const origin = `http://acme.localhost:${server.port}`;
const steps: Record<string, number[]> = {};
const note = (step: string, ms: number) => {
  steps[step] = [...(steps[step] ?? []), ms];
};
const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await work();
  note(step, performance.now() - started);
  return result;
};

try {
  const portal = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const user = await server.context.users.create(portal.id, { firstName: 'Ann', lastName: 'A', username: 'ann' });
  await server.context.users.setPasswordHash(portal.id, user.id, await hashPassword('bench password'));
  const login = await localhostFetch(`${origin}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'x-forwarded-for': '192.0.2.1' },
    body: new URLSearchParams({ action: 'login', login: 'ann', password: 'bench password' }),
  });
  const { sessionId, bitrixSessionId } = (await login.json()) as { sessionId: string; bitrixSessionId: string };
  const phoneCall = async (method: string, params: Record<string, string>) => {
    const res = await localhostFetch(`${origin}/rest/${method}.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `PHPSESSID=${sessionId}`,
        'x-bitrix-csrf-token': bitrixSessionId,
      },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { result?: QrPhoneView; error?: string };
    if (!body.result) throw new Error(`${method}: ${body.error}`);
    return body.result;
  };
  for (let round = 0; round < rounds; round++) {
    const fetch = localhostFetch as unknown as QrFetch;
    const device = { deviceName: 'Bench PC', os: 'Linux', user_os_mark: `pc-${round}`, user_account: 'ann' };
    const desktop = await time('create', () => QrSignInDesktopClient.start(origin, device, fetch));
    desktop.listen();
    await desktop.next(['waiting_for_scan']);
    const view = await time('scan', () => phoneCall('portaldesk.qrsignin.scan', { QR: desktop.code.qrUrl }));
    await time('confirm', () => desktop.confirm(view.checkCode ?? ''));
    const approvedAt = performance.now();
    await time('approve', () => phoneCall('portaldesk.qrsignin.approve', { ID: view.attemptId }));
    const approved = await desktop.next(['approved']);
    note('approval heard over SSE', performance.now() - approvedAt);
    await time('redeem', () => desktop.redeem(approved));
    await desktop.close();
  }
  console.log(`QR sign-in, ${rounds} rounds (ms):`);
  for (const [step, samples] of Object.entries(steps)) {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
    console.log(`  ${step.padEnd(26)} median ${at(0.5).padStart(7)}   p95 ${at(0.95).padStart(7)}`);
  }
} finally {
  await server.close();
  await database.close();
}
