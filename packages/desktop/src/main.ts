// The desktop app's entry point: `npm run desktop` (`npm start` also starts the demo server).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DesktopApp } from './app/desktop-app.ts';
import { BrowserDiscoveryError, findBrowser } from './browser/browser-discovery.ts';
import { linkInArguments } from './links/portaldesk-link.ts';
import { openInSystemBrowser } from './links/system-browser.ts';
import { currentLaunchCommand, type XdgLocations } from './os-integration/xdg-desktop-files.ts';
import { appPaths } from './paths/app-paths.ts';
import { appIconPath, appVersion, builtUpdateAddress, uiDistDir } from './paths/built-layout.ts';
import { claimSingleInstance } from './single-instance/single-instance.ts';
import { startUpdateChecks, UpdateCheckError, type UpdateChecks } from './updates/update-check.ts';
import { showUpdateNotice } from './updates/update-notice.ts';

// Every import above has been loaded and run by now: the rest of start-up is the app's own work.
const modulesLoadedMs = performance.now();
const paths = appPaths();
const argv = process.argv.slice(2);
const version = appVersion();
const log = (message: string, fields?: Record<string, unknown>) => console.log(JSON.stringify({ message, ...fields }));
let app: DesktopApp | undefined;
let updateChecks: UpdateChecks | undefined;

const instance = await claimSingleInstance({
  socketPath: paths.instanceSocket,
  argv,
  onSecondLaunch: (launch) => void app?.router.onSecondLaunch(launch),
});
if (instance.role === 'secondary') process.exit(0);
const releaseInstance = instance.release;
// Set before the first window opens: a signal during start-up still ends the browser with the app.
process.once('SIGINT', () => void quit());
process.once('SIGTERM', () => void quit());

let browser: ReturnType<typeof findBrowser>;
try {
  browser = findBrowser();
} catch (error) {
  if (error instanceof BrowserDiscoveryError) {
    console.error(error.message);
    await releaseInstance();
    process.exit(1);
  }
  throw error;
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

const uiUrl = process.env.PORTALDESK_UI_URL;
const xdg = xdgLocations();
app = await DesktopApp.start({
  version,
  paths,
  browser,
  ui: uiUrl ? { baseUrl: uiUrl } : { distDir: uiDistDir() },
  log,
  ...(xdg ? { xdg } : {}),
  ...(process.env.PORTALDESK_NETWORK_URL ? { networkUrl: process.env.PORTALDESK_NETWORK_URL.replace(/\/+$/, '') } : {}),
  // Closing the last window keeps the app in the tray when there is one and the user wants it.
  onLastWindowClosed: () => {
    if (!app?.keepsRunningWithoutWindows()) void quit();
  },
  onQuitRequested: () => void quit(),
});

const appReadyMs = performance.now();

const link = linkInArguments(argv);
if (link) await app.router.openLink(link);
// `--hidden` (started on login, with a tray to open it from): the accounts connect in the
// background and no window opens.
else if (!argv.includes('--hidden') || !app.keepsRunningWithoutWindows()) await app.router.showFirstWindow();
// Where start-up time goes (bench:desktop reads it): milliseconds since the process started
// (`performance.timeOrigin`, an epoch time, lets another process line them up with its own clock).
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

/**
 * Off unless an address is configured: `PORTALDESK_UPDATE_URL`, or the one a packager built in
 * (`PORTALDESK_UPDATE_URL` at `npm run build`). The user is told; nothing is downloaded.
 */
const updateAddress = process.env.PORTALDESK_UPDATE_URL ?? builtUpdateAddress();
if (updateAddress) {
  try {
    updateChecks = startUpdateChecks({
      manifestUrl: updateAddress,
      currentVersion: version,
      log,
      onAvailable: (update) => {
        log('update available', { version: update.version });
        void showUpdateNotice(update, { currentVersion: version, openOutside: openInSystemBrowser, log });
      },
    });
  } catch (error) {
    if (!(error instanceof UpdateCheckError)) throw error;
    log('update checks off', { code: error.code });
  }
}

async function quit(): Promise<void> {
  updateChecks?.stop();
  await app?.quit();
  await releaseInstance();
  process.exit(0);
}
