/**
 * The desktop app's figures (issues 4 and 18), on this machine, under a virtual display, for the
 * app run from its sources (`npm run desktop`, tsx) and built (`node dist/desktop/main.mjs`, what
 * the packages install; run `npm run build` first):
 * - cold start: the app launched with an empty home until its login window is on screen, and
 *   where the time goes: node's own start, loading the modules, the app's start (settings, vault,
 *   D-Bus, UI server), the browser start and first window, the page on screen;
 * - memory with 1, 5 and 20 connected accounts and the chat window open: the main process plus
 *   every browser process, summed PSS (shared pages split between the processes that share
 *   them) and summed RSS (shared pages counted in each), from /proc, and PSS by kind of process;
 * - sign-in to chat ready (in this process, from the sources);
 * - a message reaching an OS notification: from the sender's REST call to the `Notify` call
 *   received by a recording notification service on a private D-Bus session bus, p50 and p99.
 * Targets: built cold start ≤ 1.5 s (median); 1 account + chat ≤ 450 MB PSS; each extra account
 * ≤ 5 MB; 20 accounts ≤ 350 MB in all (issue 4's, from before the chat window); p99 ≤ 100 ms.
 *
 * The app under bench is a child process, started as a person starts it: accounts are added by
 * a DesktopApp in this process first (the same home), the chat window is opened from the tray's
 * "Chats", and a message to each account proves it connected. The portal server runs in a child
 * process of its own.
 *
 *   npm run bench:desktop -- [--cold-starts 5] [--messages 50] [--builds source,built]
 *     [--accounts 1,5,20] [--drop-switch='<browser switch>']… [--add-switch=…]… [--node-arg=…]… [--cpu-prof]
 * `--drop-switch` runs the browser without one of the app's switches (what does it save?),
 * `--add-switch` with a candidate, `--node-arg` the main process with a Node option;
 * `--cpu-prof` writes a CPU profile of each cold start's main process to bench/profiles/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appPaths, DesktopApp, findBrowser } from '@portaldesk/desktop';
import {
  startRecordingNotificationService,
  startRecordingTrayHost,
  startSessionBus,
  startXvfb,
  type VirtualDisplay,
} from '@portaldesk/desktop/testing';
import { localhostFetch } from '@portaldesk/server/testing';
import { percentile } from '../bench-server.ts';
import { type AppBuild, assertBuilt, launchDesktop, until, windowTitles } from './desktop-process.ts';
import { desktopMemory, type MemoryFigures } from './process-memory.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '50' },
    'cold-starts': { type: 'string', default: '5' },
    builds: { type: 'string', default: 'source,built' },
    accounts: { type: 'string', default: '1,5,20' },
    'drop-switch': { type: 'string', multiple: true, default: [] },
    'add-switch': { type: 'string', multiple: true, default: [] },
    'node-arg': { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(values.messages);
const COLD_STARTS = Number(values['cold-starts']);
const BUILDS = values.builds.split(',') as AppBuild[];
const ACCOUNT_STAGES = values.accounts.split(',').map(Number);
const DROP = values['drop-switch'];
const ADD = values['add-switch'];
const NODE_ARGS = values['node-arg'];
const PASSWORD = 'bench desktop password';
const root = fileURLToPath(new URL('../../', import.meta.url));
const profiles = join(root, 'bench/profiles');
const browser = findBrowser();

interface PortalInfo {
  port: number;
  users: { id: number; login: string }[];
  sender: { id: number; login: string };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (value: number) => `${value.toFixed(1)} MB`;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

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

/** Milliseconds from the spawn, per step; the steps follow each other. */
interface ColdStart {
  nodeStart: number;
  moduleLoad: number;
  appStart: number;
  browserAndWindow: number;
  onScreen: number;
  total: number;
  /** The main process's CPU time until its first window (less sensitive to a busy machine). */
  mainCpu: number;
}

/** The app launched with an empty home, until X shows its login window. */
async function coldStart(build: AppBuild, display: VirtualDisplay, run: number): Promise<ColdStart> {
  const home = mkdtempSync(join(tmpdir(), 'portaldesk-bench-cold-'));
  const nodeArgs = values['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=cold-start-${build}-${run}.cpuprofile`]
    : [];
  const desktop = launchDesktop({
    build,
    home,
    display,
    busAddress: 'unix:path=/nonexistent/portaldesk-bench-bus',
    browser,
    dropSwitches: DROP,
    addSwitches: ADD,
    nodeArgs: [...NODE_ARGS, ...nodeArgs],
  });
  try {
    await until('the login window is on screen', () => windowTitles(display).includes('Sign in to Portaldesk'));
    const onScreenAt = performance.timeOrigin + performance.now();
    const log = await desktop.startUp;
    const nodeStart = log.timeOrigin - desktop.spawnedAt;
    const firstWindowAt = log.timeOrigin + log.firstWindowMs;
    return {
      nodeStart,
      moduleLoad: log.modulesLoadedMs,
      appStart: log.appReadyMs - log.modulesLoadedMs,
      browserAndWindow: log.firstWindowMs - log.appReadyMs,
      // The window can be mapped before main.ts hears that its page loaded: then this is 0.
      onScreen: Math.max(0, onScreenAt - firstWindowAt),
      total: onScreenAt - desktop.spawnedAt,
      mainCpu: log.mainCpuMs,
    };
  } finally {
    await desktop.stop();
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
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
// A panel to host the tray icon, as on a desktop: the tray is part of what the app costs, and its
// "Chats" opens the chat window.
const trayHost = await startRecordingTrayHost(bus.address);
const { info, child: portal } = await startPortal();
const home = mkdtempSync(join(tmpdir(), 'portaldesk-bench-desktop-'));
if (BUILDS.includes('built')) assertBuilt();
if (values['cpu-prof']) mkdirSync(profiles, { recursive: true });
try {
  const send = await senderSession(info.port, info.sender.login);
  console.log(
    `Desktop bench (${browser.executablePath}, ${COLD_STARTS} cold starts, ${MESSAGES} messages${DROP.length ? `, without ${DROP.join(' ')}` : ''}${ADD.length ? `, with ${ADD.join(' ')}` : ''}${NODE_ARGS.length ? `, node ${NODE_ARGS.join(' ')}` : ''})`,
  );

  for (const build of COLD_STARTS > 0 ? BUILDS : []) {
    const runs: ColdStart[] = [];
    for (let n = 0; n < COLD_STARTS; n++) runs.push(await coldStart(build, display, n));
    const step = (key: keyof ColdStart) => ms(median(runs.map((r) => r[key])));
    console.log(
      `cold start to login window on screen, ${build}: median ${step('total')}, max ${ms(Math.max(...runs.map((r) => r.total)))}` +
        ` (medians: node start ${step('nodeStart')}, module load ${step('moduleLoad')}, app start ${step('appStart')},` +
        ` browser start + first window ${step('browserAndWindow')}, page on screen ${step('onScreen')};` +
        ` main process CPU ${step('mainCpu')}; load average ${loadavg()[0]!.toFixed(1)})${build === 'built' ? ' (target ≤ 1.5 s)' : ''}`,
    );
  }

  // Accounts are added here, with the sources, into the home the app under bench then starts with.
  const signInToChat: number[] = [];
  const memory = new Map<AppBuild, { accounts: number; figures: MemoryFigures }[]>();
  let added = 0;
  let latencies: number[] = [];
  for (const accounts of ACCOUNT_STAGES) {
    if (accounts > added) {
      const app = await DesktopApp.start({
        version: 'bench',
        paths: appPaths({ PORTALDESK_HOME: home }),
        browser,
        ui: { distDir: join(root, 'packages/ui/dist/') },
        browserEnv: { ...process.env, DISPLAY: display.display },
      });
      try {
        for (const user of info.users.slice(added, accounts)) {
          const started = performance.now();
          const result = await app.lifecycle.addWithPassword({
            address: `acme.localhost:${info.port}`,
            login: user.login,
            password: PASSWORD,
          });
          if (result.status !== 'signed-in') throw new Error(`${user.login} was not signed in`);
          signInToChat.push(performance.now() - started);
        }
      } finally {
        await app.quit();
      }
      added = accounts;
    }
    for (const build of BUILDS) {
      const measured = await withAppRunning(build, accounts, async (pid) => desktopMemory(pid), send);
      memory.set(build, [...(memory.get(build) ?? []), { accounts, figures: measured.result }]);
      if (build === BUILDS.at(-1) && accounts === ACCOUNT_STAGES[0]) latencies = measured.latencies;
    }
  }

  for (const [build, stages] of memory) {
    for (const { accounts, figures } of stages) {
      const kinds = Object.entries(figures.byKind)
        .sort(([, a], [, b]) => b - a)
        .map(([kind, pss]) => `${kind} ${pss.toFixed(1)}`)
        .join(', ');
      console.log(
        `memory, ${build}, ${String(accounts).padStart(2)} accounts + chat window: PSS ${mb(figures.pssMb)}, pages resident (each once) ${mb(figures.uniqueMb)}, RSS summed ${mb(figures.rssMb)}, ${figures.processes} processes (PSS MB: ${kinds})${accounts === 1 ? ' (target ≤ 450 MB)' : ''}`,
      );
    }
    if (stages.length > 1) {
      const [first, ...rest] = stages;
      const per = rest.map(
        ({ accounts, figures }) =>
          `1→${accounts} ${mb((figures.pssMb - first!.figures.pssMb) / (accounts - first!.accounts))} (pages resident ${mb((figures.uniqueMb - first!.figures.uniqueMb) / (accounts - first!.accounts))})`,
      );
      console.log(`per extra account (PSS), ${build}: ${per.join(', ')} (target ≤ 5 MB)`);
    }
  }
  const sorted = [...signInToChat].sort((a, b) => a - b);
  console.log(
    `account sign-in (password, in process, sources): median ${ms(percentile(sorted, 50))}, p90 ${ms(percentile(sorted, 90))}`,
  );
  latencies.sort((a, b) => a - b);
  if (latencies.length > 0)
    console.log(
      `message → notification (${BUILDS.at(-1)}): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (target p99 ≤ 100 ms)`,
    );
} finally {
  portal.stdin?.end();
  await new Promise((resolve) => portal.once('exit', resolve));
  await notifications.stop();
  await trayHost.stop();
  await bus.stop();
  await display.stop();
  rmSync(home, { recursive: true, force: true });
}

/**
 * Starts the app (`build`) in the tray with `accounts` accounts, waits until each of them shows a
 * notification (it is connected), opens the chat window from the tray, lets it settle, runs
 * `measure` with the app's pid, and on the first stage times messages to notifications.
 */
async function withAppRunning<T>(
  build: AppBuild,
  accounts: number,
  measure: (pid: number) => Promise<T>,
  send: (method: string, params: Record<string, unknown>) => Promise<unknown>,
): Promise<{ result: T; latencies: number[] }> {
  const before = new Set(trayHost.registered());
  const desktop = launchDesktop({
    build,
    home,
    display,
    busAddress: bus.address,
    browser,
    dropSwitches: DROP,
    addSwitches: ADD,
    nodeArgs: NODE_ARGS,
    args: ['--hidden'],
  });
  try {
    let service = '';
    await until('the tray icon is registered', () => {
      service = trayHost.registered().find((s) => !before.has(s)) ?? '';
      return service !== '';
    });
    const users = info.users.slice(0, accounts);
    // A message sent before an account's realtime connection is up raises no notification: send
    // again to each account that has not shown one yet.
    const seen = notifications.received.length;
    const notified = (index: number) =>
      notifications.received.slice(seen).some((n) => n.summary.endsWith(`(User ${index + 1})`));
    await until(`${accounts} accounts are connected`, async () => {
      const waiting = users.filter((_user, index) => !notified(index));
      for (const user of waiting) await send('im.message.add', { DIALOG_ID: user.id, MESSAGE: `Hello ${user.login}` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      return users.every((_user, index) => notified(index));
    });
    // Before the chat window opens, so that no message goes to the dialog it shows (no notification then).
    const latencies: number[] = [];
    if (accounts === ACCOUNT_STAGES[0]) {
      const target = users[0]!;
      for (let n = 0; n < MESSAGES; n++) {
        const count = notifications.received.length;
        const sent = performance.now();
        await send('im.message.add', { DIALOG_ID: target.id, MESSAGE: `Bench message ${n}` });
        await until('the notification is shown', () => notifications.received.length > count, 10_000);
        latencies.push(notifications.received[count]!.receivedAt - sent);
      }
    }
    const chats = (await trayHost.menu(service)).find((entry) => entry.label === 'Chats');
    if (!chats) throw new Error('the tray menu has no "Chats"');
    await trayHost.click(service, chats.id);
    await until('the chat window is on screen', () => windowTitles(display).includes('Chats — Portaldesk'));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const result = await measure(desktop.child.pid!);
    return { result, latencies };
  } finally {
    await desktop.stop();
  }
}
