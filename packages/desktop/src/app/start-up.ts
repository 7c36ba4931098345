import { homedir } from 'node:os';
import { join } from 'node:path';
import { BrowserDiscoveryError, type FoundBrowser, findBrowser } from '../browser/browser-discovery.ts';
import { linkInArguments } from '../links/portaldesk-link.ts';
import { currentLaunchCommand, type XdgLocations } from '../os-integration/xdg-desktop-files.ts';
import type { AppPaths } from '../paths/app-paths.ts';
import { appIconPath, uiDistDir } from '../paths/built-layout.ts';
import { claimSingleInstance, type SecondLaunch } from '../single-instance/single-instance.ts';
import type { DesktopApp, DesktopAppOptions } from './desktop-app.ts';

/** One instance per user: a later launch hands its arguments over and this process exits. */
export async function setupSingleInstance(
  paths: AppPaths,
  argv: string[],
  onSecondLaunch: (launch: SecondLaunch) => void,
): Promise<() => Promise<void>> {
  const instance = await claimSingleInstance({ socketPath: paths.instanceSocket, argv, onSecondLaunch });
  if (instance.role === 'secondary') process.exit(0);
  return instance.release;
}

/** Set before the first window opens: a signal during start-up still ends the browser with the app. */
export function setupQuitOnSignals(quit: () => Promise<void>): void {
  process.once('SIGINT', () => void quit());
  process.once('SIGTERM', () => void quit());
}

/** The machine's Chrome, Chromium or Edge; without one the user is told why and the app ends. */
export async function findBrowserOrExit(releaseInstance: () => Promise<void>): Promise<FoundBrowser> {
  try {
    return findBrowser();
  } catch (error) {
    if (error instanceof BrowserDiscoveryError) {
      console.error(error.message);
      await releaseInstance();
      process.exit(1);
    }
    throw error;
  }
}

/** What the environment chooses: the UI (built, or `PORTALDESK_UI_URL`), the XDG folders, the Network. */
export function desktopOptionsFromEnvironment(): Pick<DesktopAppOptions, 'ui' | 'xdg' | 'networkUrl'> {
  const uiUrl = process.env.PORTALDESK_UI_URL;
  const xdg = xdgLocations();
  const networkUrl = process.env.PORTALDESK_NETWORK_URL?.replace(/\/+$/, '');
  return {
    ui: uiUrl ? { baseUrl: uiUrl } : { distDir: uiDistDir() },
    ...(xdg ? { xdg } : {}),
    ...(networkUrl ? { networkUrl } : {}),
  };
}

/** Linux desktops find the menu entry, the link handler and autostart through the XDG folders. */
function xdgLocations(): XdgLocations | undefined {
  if (process.platform !== 'linux' || process.env.PORTALDESK_HOME) return undefined;
  return {
    dataHome: process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'),
    configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
    command: currentLaunchCommand(),
    icon: appIconPath(),
  };
}

/**
 * The link the app was started with, or the first window. `--hidden` (started on login, with a
 * tray to open it from): the accounts connect in the background and no window opens.
 */
export async function showStartWindow(app: DesktopApp, argv: string[]): Promise<void> {
  const link = linkInArguments(argv);
  if (link) await app.router.openLink(link);
  else if (!argv.includes('--hidden') || !app.keepsRunningWithoutWindows()) await app.router.showFirstWindow();
}

/**
 * Where start-up time goes (bench:desktop reads it): milliseconds since the process started
 * (`performance.timeOrigin`, an epoch time, lets another process line them up with its own clock).
 */
export function reportStartUp(modulesLoadedMs: number, appReadyMs: number): void {
  console.log(
    JSON.stringify({
      message: 'start-up',
      timeOrigin: performance.timeOrigin,
      modulesLoadedMs: Math.round(modulesLoadedMs),
      appReadyMs: Math.round(appReadyMs),
      firstWindowMs: Math.round(performance.now()),
      // This process's own CPU time so far: on a busy machine the wall times above grow, this less.
      mainCpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    }),
  );
}
