// The desktop app's entry point: `npm run desktop` (`npm start` also starts the demo server).
import { DesktopApp } from './app/desktop-app.ts';
import {
  desktopOptionsFromEnvironment,
  findBrowserOrExit,
  reportStartUp,
  setupQuitOnSignals,
  setupSingleInstance,
  showStartWindow,
} from './app/start-up.ts';
import { appPaths } from './paths/app-paths.ts';
import { appVersion } from './paths/built-layout.ts';
import { setupUpdateChecks } from './updates/setup-update-checks.ts';
import type { UpdateChecks } from './updates/update-check.ts';

// Every import above has been loaded and run by now: the rest of start-up is the app's own work.
const modulesLoadedMs = performance.now();
const paths = appPaths();
const argv = process.argv.slice(2);
const version = appVersion();
const log = (message: string, fields?: Record<string, unknown>) => console.log(JSON.stringify({ message, ...fields }));
let app: DesktopApp | undefined;
let updateChecks: UpdateChecks | undefined;

const releaseInstance = await setupSingleInstance(paths, argv, (launch) => void app?.router.onSecondLaunch(launch));
setupQuitOnSignals(quit);
const browser = await findBrowserOrExit(releaseInstance);
app = await DesktopApp.start({
  version,
  paths,
  browser,
  log,
  ...desktopOptionsFromEnvironment(),
  // Closing the last window keeps the app in the tray when there is one and the user wants it.
  onLastWindowClosed: () => {
    if (!app?.keepsRunningWithoutWindows()) void quit();
  },
  onQuitRequested: () => void quit(),
});
const appReadyMs = performance.now();
await showStartWindow(app, argv);
reportStartUp(modulesLoadedMs, appReadyMs);
updateChecks = setupUpdateChecks(version, log);

async function quit(): Promise<void> {
  updateChecks?.stop();
  await app?.quit();
  await releaseInstance();
  process.exit(0);
}
