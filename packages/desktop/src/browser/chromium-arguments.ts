/**
 * Switches for a browser that is an app's window system rather than someone's browser: no
 * first-run wizard, no sync or component downloads in the background, no use of the OS keyring
 * for the browser's own cookie encryption (the profile is ours alone and the keyring prompt
 * would be a surprise).
 */
export function chromiumSwitches(runningAsRoot: boolean): string[] {
  const switches = [
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
    // Software compositing: the GPU process's graphics stack was 30-40 MB of the ~450 MB an
    // account with its chat window costs (bench:desktop, --add-switch). A messenger's pages
    // scroll and animate fine without it; what it costs is WebGL and hardware video decoding
    // (more CPU in a portal's video call), not safety: fewer driver paths reachable from pages.
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--password-store=basic',
  ];
  // Chromium refuses to start as root with its sandbox on (CI machines, containers). Without the
  // sandbox it shows an "unsupported command-line flag" bar in every window; --test-type, as
  // chromedriver passes it, keeps that bar away. A normal user keeps the sandbox.
  if (runningAsRoot) switches.push('--no-sandbox', '--test-type');
  return switches;
}

/**
 * Chromium keeps only the last `--disable-features` on its command line, and ours comes after
 * Playwright's, so this list replaces Playwright's: it repeats those names (same behaviour as
 * before; the interception and HTTP notes are Playwright's reasons, still true here since every
 * own window routes its requests) and adds what only costs memory.
 */
const DISABLED_FEATURES = [
  // Playwright's list, as of playwright-core 1.65.
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  // A renderer started ahead for the next tab a browser user might open: an app opens its
  // windows itself, so it only holds memory (bench:desktop). Site isolation is unchanged.
  'SpareRendererForSitePerProcess',
];

/**
 * Playwright's defaults are made for tests; these would change how real pages behave for the
 * user (popups always allowed, extensions off, timers never throttled, the automation banner),
 * so they are left out. `about:blank` is its start page for persistent contexts; we open our
 * own first window instead.
 */
export const PLAYWRIGHT_DEFAULTS_TO_DROP = [
  '--enable-automation',
  'about:blank',
  '--disable-popup-blocking',
  '--disable-extensions',
  '--disable-component-extensions-with-background-pages',
  '--disable-default-apps',
  '--disable-back-forward-cache',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-ipc-flooding-protection',
  '--disable-hang-monitor',
  '--allow-pre-commit-input',
  '--force-color-profile=srgb',
  '--unsafely-disable-devtools-self-xss-warnings',
  '--enable-unsafe-swiftshader',
];
