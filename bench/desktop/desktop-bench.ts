/**
 * The desktop app's figures (issue 4), on this machine, under a virtual display:
 * - cold start: `npm run desktop` launched with an empty home until its login window is on screen;
 * - sign-in to chat ready: a password sign-in until the chat window lists that account's chats;
 * - memory with 1, 5 and 20 connected accounts and the chat window open: the main process plus
 *   every browser process, summed PSS (shared pages split between the processes that share
 *   them) and summed RSS (shared pages counted in each), from /proc;
 * - a message reaching an OS notification: from the sender's REST call to the `Notify` call
 *   received by a recording notification service on a private D-Bus session bus, p50 and p99.
 * Targets: each extra connected account ≤ 5 MB, 20 accounts ≤ 350 MB in all, p99 ≤ 100 ms.
 *
 * This process is the desktop's main process (DesktopApp, as `npm run desktop` runs it); the
 * portal server runs in a child process of its own so that its memory is not counted.
 *
 *   npm run bench:desktop -- [--messages 200] [--cold-starts 3]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DesktopApp } from '../../packages/desktop/src/app/desktop-app.ts';
import { findBrowser } from '../../packages/desktop/src/browser/browser-discovery.ts';
import { appPaths } from '../../packages/desktop/src/paths/app-paths.ts';
import { startRecordingNotificationService } from '../../packages/desktop/src/testing/recording-notification-service.ts';
import { startRecordingTrayHost } from '../../packages/desktop/src/testing/recording-tray-host.ts';
import { startSessionBus } from '../../packages/desktop/src/testing/session-bus.ts';
import { startXvfb, type VirtualDisplay } from '../../packages/desktop/src/testing/xvfb.ts';
import type { AppWindow } from '../../packages/desktop/src/windows/window-manager.ts';
import { localhostFetch } from '../../packages/server/src/http-client/localhost-fetch.ts';
import { percentile } from '../bench-server.ts';
import { desktopMemory, type MemoryFigures, mainProcessMemory } from './process-memory.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '200' }, 'cold-starts': { type: 'string', default: '3' } },
});
const MESSAGES = Number(values.messages);
const COLD_STARTS = Number(values['cold-starts']);
const ACCOUNT_STAGES = [1, 5, 20];
const PASSWORD = 'bench desktop password';
const root = fileURLToPath(new URL('../../', import.meta.url));
const uiDist = join(root, 'packages/ui/dist/');

interface PortalInfo {
  port: number;
  users: { id: number; login: string }[];
  sender: { id: number; login: string };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (value: number) => `${value.toFixed(1)} MB`;

async function until(what: string, condition: () => boolean | Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startPortal(): Promise<{ info: PortalInfo; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/desktop/bench-portal.ts'), String(Math.max(...ACCOUNT_STAGES)), PASSWORD],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench portal exited (${code})`)));
  });
  return { info: JSON.parse(first) as PortalInfo, child };
}

/** `npm run desktop` with an empty home, until X shows its login window. */
async function coldStart(display: VirtualDisplay): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'portaldesk-bench-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'packages/desktop/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORTALDESK_HOME: home,
      DISPLAY: display.display,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/portaldesk-bench-bus',
    },
    stdio: 'ignore',
  });
  try {
    await until('the login window is on screen', () => windowTitles(display).includes('Sign in to Portaldesk'));
    return performance.now() - started;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/** The X window tree with the windows' titles (an app window's title is its page's). */
function windowTitles(display: VirtualDisplay): string {
  try {
    return execFileSync('xwininfo', ['-root', '-tree', '-display', display.display], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

async function senderSession(port: number, login: string) {
  const origin = `http://acme.localhost:${port}`;
  const answer = await localhostFetch(`${origin}/desktop_app/login/`, {
    method: 'POST',
    body: new URLSearchParams({ action: 'login', login, password: PASSWORD, json: 'y' }),
  });
  const { sessionId, bitrixSessionId } = (await answer.json()) as { sessionId: string; bitrixSessionId: string };
  return async (method: string, params: Record<string, unknown>) => {
    const response = await localhostFetch(`${origin}/rest/${method}.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `PHPSESSID=${sessionId}`,
        'x-bitrix-csrf-token': bitrixSessionId,
      },
      body: JSON.stringify(params),
    });
    if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
}

const display = await startXvfb();
const bus = await startSessionBus();
const notifications = await startRecordingNotificationService(bus.address);
// A panel to host the tray icon, as on a desktop: the tray is part of what the app costs.
const trayHost = await startRecordingTrayHost(bus.address);
const { info, child: portal } = await startPortal();
const home = mkdtempSync(join(tmpdir(), 'portaldesk-bench-desktop-'));
let app: DesktopApp | undefined;
try {
  const cold: number[] = [];
  for (let n = 0; n < COLD_STARTS; n++) cold.push(await coldStart(display));
  cold.sort((a, b) => a - b);

  const send = await senderSession(info.port, info.sender.login);
  for (const user of info.users) await send('im.message.add', { DIALOG_ID: user.id, MESSAGE: `Hello ${user.login}` });

  app = await DesktopApp.start({
    version: 'bench',
    paths: appPaths({ PORTALDESK_HOME: home }),
    browser: findBrowser(),
    ui: { distDir: uiDist },
    browserEnv: { ...process.env, DISPLAY: display.display },
    notificationBus: bus.address,
  });
  const desktop = app;
  let chat: AppWindow | undefined;
  const signInToChat: number[] = [];
  const memory: { accounts: number; total: MemoryFigures; main: { pssMb: number; rssMb: number } }[] = [];
  const allOnline = (count: number) => {
    const statuses = desktop.delivery.statuses();
    return statuses.length === count && statuses.every((s) => s.state === 'online');
  };
  for (const [index, user] of info.users.entries()) {
    const started = performance.now();
    const added = await desktop.addAccount({
      address: `acme.localhost:${info.port}`,
      login: user.login,
      password: PASSWORD,
    });
    if (added.status !== 'signed-in') throw new Error(`${user.login} was not signed in`);
    chat ??= await desktop.showChat();
    const page = chat.page;
    await page
      .getByTestId('chat-account-header')
      .getByText(`User ${index + 1}`, { exact: true })
      .waitFor();
    const chats = page.getByRole('navigation', { name: 'Chats' });
    await chats.locator('li').first().or(chats.getByText('No chats yet.')).waitFor();
    signInToChat.push(performance.now() - started);
    const accounts = index + 1;
    if (ACCOUNT_STAGES.includes(accounts)) {
      await until(`${accounts} accounts are online`, () => allOnline(accounts));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      memory.push({ accounts, total: desktopMemory(), main: mainProcessMemory() });
    }
  }

  // The message goes to a background account (not the one the chat window shows).
  const target = info.users[0]!;
  const latencies: number[] = [];
  for (let n = 0; n < MESSAGES; n++) {
    const before = notifications.received.length;
    const sent = performance.now();
    await send('im.message.add', { DIALOG_ID: target.id, MESSAGE: `Bench message ${n}` });
    await until('the notification is shown', () => notifications.received.length > before, 10_000);
    latencies.push(notifications.received[before]!.receivedAt - sent);
  }
  latencies.sort((a, b) => a - b);

  const [first, ...later] = signInToChat;
  const laterSorted = later.sort((a, b) => a - b);
  console.log(`Desktop bench (${findBrowser().executablePath}, ${MESSAGES} messages, ${COLD_STARTS} cold starts)`);
  console.log(`cold start to login window shown: median ${ms(percentile(cold, 50))}, max ${ms(cold.at(-1)!)}`);
  console.log(
    `sign-in to chat ready: first account ${ms(first!)} (starts the browser), then median ${ms(percentile(laterSorted, 50))}, p90 ${ms(percentile(laterSorted, 90))}`,
  );
  for (const { accounts, total, main } of memory) {
    console.log(
      `memory, ${String(accounts).padStart(2)} accounts + chat window: PSS ${mb(total.pssMb)} (main process ${mb(main.pssMb)}), RSS summed ${mb(total.rssMb)}, ${total.processes} processes`,
    );
  }
  const one = memory.find((m) => m.accounts === 1)!;
  const twenty = memory.find((m) => m.accounts === 20)!;
  const five = memory.find((m) => m.accounts === 5)!;
  console.log(
    `per extra account (PSS): 1→5 ${mb((five.total.pssMb - one.total.pssMb) / 4)}, 1→20 ${mb((twenty.total.pssMb - one.total.pssMb) / 19)} (target ≤ 5 MB); 20 accounts ${mb(twenty.total.pssMb)} (target ≤ 350 MB)`,
  );
  console.log(
    `message → notification: p50 ${latencies.length ? percentile(latencies, 50).toFixed(1) : '-'} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (target p99 ≤ 100 ms)`,
  );
} finally {
  await app?.quit();
  portal.stdin?.end();
  await new Promise((resolve) => portal.once('exit', resolve));
  await notifications.stop();
  await trayHost.stop();
  await bus.stop();
  await display.stop();
  rmSync(home, { recursive: true, force: true });
}
