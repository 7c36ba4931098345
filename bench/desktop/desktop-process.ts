/**
 * The desktop app as a person starts it, in a process of its own: from the sources (`npm run
 * desktop`: node with tsx's loader) or built (`node dist/desktop/main.mjs`, as the packages run it).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FoundBrowser } from '@portaldesk/desktop';
import type { VirtualDisplay } from '@portaldesk/desktop/testing';
import { BUILT_NODE_OPTIONS } from '../../scripts/desktop-app/built-node-options.ts';

export type AppBuild = 'source' | 'built';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_MAIN = join(root, 'dist/desktop/main.mjs');

/** Milliseconds after the process started (its `performance.timeOrigin`), as main.ts logs them. */
export interface StartUpLog {
  timeOrigin: number;
  modulesLoadedMs: number;
  appReadyMs: number;
  firstWindowMs: number;
  mainCpuMs: number;
}

export interface DesktopProcess {
  child: ChildProcess;
  /** Epoch milliseconds when it was spawned. */
  spawnedAt: number;
  startUp: Promise<StartUpLog>;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  build: AppBuild;
  home: string;
  display: VirtualDisplay;
  /** The session bus (tray, notifications); a dead address when there is none. */
  busAddress: string;
  browser: FoundBrowser;
  /** Switches taken out of the browser's command line, to measure what each one saves. */
  dropSwitches: string[];
  /** Switches added to it, to measure a candidate. */
  addSwitches?: string[];
  args?: string[];
  /** Node's own options, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error('dist/desktop/main.mjs is missing: run `npm run build` first');
}

export function launchDesktop(options: LaunchOptions): DesktopProcess {
  const entry =
    options.build === 'built'
      ? [...BUILT_NODE_OPTIONS, BUILT_MAIN]
      : ['--import', 'tsx', join(root, 'packages/desktop/src/main.ts')];
  const added = options.addSwitches ?? [];
  const browser =
    options.dropSwitches.length + added.length > 0
      ? browserWrapper(options.browser, options.dropSwitches, added)
      : undefined;
  const spawnedAt = performance.timeOrigin + performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, ...(options.args ?? [])], {
    cwd: root,
    env: {
      ...process.env,
      PORTALDESK_HOME: options.home,
      DISPLAY: options.display.display,
      DBUS_SESSION_BUS_ADDRESS: options.busAddress,
      ...(browser ? { PORTALDESK_BROWSER: browser } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const startUp = new Promise<StartUpLog>((resolve, reject) => {
    lines.on('line', (line) => {
      if (process.env.BENCH_APP_LOG) console.error(`[app] ${line}`);
      if (!line.startsWith('{"message":"start-up"')) return;
      resolve(JSON.parse(line) as StartUpLog);
    });
    child.once('exit', (code) => reject(new Error(`the desktop exited (${code}) before its first window`)));
  });
  startUp.catch(() => undefined);
  return {
    child,
    spawnedAt,
    startUp,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A stand-in browser executable that runs the real one without `dropped` and with `added`: the
 * app under bench stays unchanged and the wrapper `exec`s, so it adds no process.
 */
function browserWrapper(browser: FoundBrowser, dropped: string[], added: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'portaldesk-bench-browser-'));
  const path = join(dir, 'chromium');
  const cases = dropped.map((s) => `    ${JSON.stringify(s)}) ;;`).join('\n');
  writeFileSync(
    path,
    `#!/bin/sh\nfor a in "$@"; do\n  shift\n  case "$a" in\n${cases}\n    *) set -- "$@" "$a" ;;\n  esac\ndone\nexec ${JSON.stringify(browser.executablePath)} ${added.map((a) => `'${a}'`).join(' ')} "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** The X window tree with the windows' titles (an app window's title is its page's). */
export function windowTitles(display: VirtualDisplay): string {
  try {
    return execFileSync('xwininfo', ['-root', '-tree', '-display', display.display], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  limitMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
