import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { FoundBrowser } from '../browser/browser-discovery.ts';
import { processEnded, profileLockHolder } from '../browser/browser-process.ts';
import { chromiumSwitches, PLAYWRIGHT_DEFAULTS_TO_DROP } from '../browser/chromium-arguments.ts';
import { accountProfileDirectory, type WindowTarget } from './window-target.ts';

export interface AppWindow {
  readonly id: number;
  readonly target: WindowTarget;
  readonly page: Page;
}

export interface WindowManagerOptions {
  browser: FoundBrowser;
  /** The app's own user-data directory; never the user's everyday browser profile. */
  userDataDir: string;
  /** The browser's environment (DISPLAY in tests). */
  env?: NodeJS.ProcessEnv;
  /** The user closed the last window and the browser ended (not called on `quit()`). */
  onLastWindowClosed?(): void;
}

export interface OpenOptions {
  /**
   * Runs on the page before it loads `target.url` (the window first shows an empty page): where
   * the bridge is attached to an own window, so that the UI's first script already finds it, and
   * where an account window gets the session cookies of a sign-in made by the main process.
   */
  beforeLoad?(page: Page): Promise<void>;
}

export class WindowError extends Error {
  constructor(
    readonly code: 'WINDOW_DID_NOT_OPEN' | 'WINDOW_MANAGER_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'WindowError';
  }
}

const PLACEHOLDER_URL = 'data:text/html,<title>Portaldesk</title>';
const OPEN_TIMEOUT_MS = 20_000;
const QUIT_WAIT_FOR_OPENING_MS = OPEN_TIMEOUT_MS + 5_000;
/** How long quit waits for a browser whose close failed to show that it is ending anyway. */
const BROWSER_END_GRACE_MS = 5_000;
/** How long a browser that is ending gets to write its profile and exit. */
const BROWSER_EXIT_LIMIT_MS = 10_000;

/** Rejects when `page` closes; never settles otherwise. */
function closedWhileOpening(page: Page): Promise<never> {
  return new Promise((_, reject) => {
    const closed = () => reject(new WindowError('WINDOW_DID_NOT_OPEN', 'The window was closed while it opened'));
    if (page.isClosed()) closed();
    else page.once('close', closed);
  });
}

/**
 * Opens the app's windows in the installed Chromium, Chrome or Edge, in app mode (`--app=`: no
 * tabs, no address bar), driven over the DevTools protocol through a pipe (never a TCP port, so
 * no other local process can drive it).
 *
 * One browser process serves every window. Each account has its own Chromium profile inside the
 * app's user-data directory: its own cookie jar, storage and cache, so two accounts on the same
 * portal are signed in side by side. Chromium only opens an app window in a given profile when it
 * is launched so; a later window is therefore opened by launching the browser again with the
 * same user-data directory, which hands the request to the running browser and exits (the way a
 * desktop shortcut to a web app works). The browser runs only while a window is open.
 */
export class WindowManager {
  private context: BrowserContext | undefined;
  private launching: Promise<BrowserContext> | undefined;
  /** Settles when the last browser started has ended, whether by `quit()` or on its own. */
  private browserEnded: Promise<void> = Promise.resolve();
  private readonly open = new Map<Page, AppWindow>();
  private readonly handOffs = new Set<ChildProcess>();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WindowManagerOptions) {}

  windows(): AppWindow[] {
    return [...this.open.values()];
  }

  /** Opens a window; one at a time, so that each new page is matched to the request that made it. */
  openWindow(target: WindowTarget, options: OpenOptions = {}): Promise<AppWindow> {
    const next = this.queue.then(() => this.openNow(target, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async focus(window: AppWindow): Promise<void> {
    await window.page.bringToFront();
  }

  async closeWindow(window: AppWindow): Promise<void> {
    await window.page.close();
  }

  /**
   * Forgets everything the browser keeps for an account: cookies, cache, and the storage
   * (localStorage, IndexedDB, service workers…) of `origins`, then closes its windows and deletes
   * its profile directory. A running browser keeps a profile it has loaded in memory, so the data
   * is cleared through the browser first; deleting the directory alone would not sign it out.
   */
  async removeAccountData(accountId: string, origins: string[]): Promise<void> {
    const profile = accountProfileDirectory(accountId);
    const own = () => this.windows().filter((w) => w.target.kind === 'account' && w.target.accountId === accountId);
    if (this.context) {
      const window = own()[0] ?? (await this.openWindow({ kind: 'account', accountId, url: PLACEHOLDER_URL }));
      const session = await window.page.context().newCDPSession(window.page);
      try {
        await session.send('Network.clearBrowserCookies');
        await session.send('Network.clearBrowserCache');
        for (const origin of origins) await session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
      } finally {
        await session.detach().catch(() => undefined);
      }
    }
    for (const window of own()) await this.closeWindow(window);
    // The browser may still be writing into the profile it had loaded; what it leaves behind is
    // deleted by `sweepAccountProfiles` at the next start.
    await rm(join(this.options.userDataDir, profile), { recursive: true, force: true, maxRetries: 3 }).catch(
      () => undefined,
    );
  }

  /**
   * Deletes the profiles of accounts that are no longer in the settings (removed while the
   * browser held the profile open). Call before the first window opens.
   */
  async sweepAccountProfiles(keepAccountIds: string[]): Promise<void> {
    if (this.context || this.launching) return;
    const keep = new Set(keepAccountIds.map(accountProfileDirectory));
    const entries = await readdir(this.options.userDataDir).catch(() => []);
    for (const entry of entries) {
      if (entry.startsWith('pd-account-') && !keep.has(entry)) {
        await rm(join(this.options.userDataDir, entry), { recursive: true, force: true, maxRetries: 5 });
      }
    }
  }

  /** Closes every window and ends the browser and every process it started. */
  async quit(): Promise<void> {
    this.closed = true;
    // A window being opened settles within its own time limits; quit never waits longer than that.
    await Promise.race([this.queue, delay(QUIT_WAIT_FOR_OPENING_MS, undefined, { ref: false })]);
    const context = this.context ?? (await this.launching?.catch(() => undefined));
    // Closing the last window ends the browser a moment later, and a close that races that end
    // fails. The browser ending anyway is what quitting wants; any other failure is real.
    await context?.close().catch(async (error: unknown) => {
      const ending = this.browserEnded.then(() => true);
      if (!(await Promise.race([ending, delay(BROWSER_END_GRACE_MS, false, { ref: false })]))) throw error;
    });
    // A browser that is ending because its last window was closed may still be writing its
    // profile; the next start must not find it running.
    await this.browserEnded;
    for (const handOff of this.handOffs) handOff.kill('SIGKILL');
  }

  private async openNow(target: WindowTarget, options: OpenOptions): Promise<AppWindow> {
    if (this.closed) throw new WindowError('WINDOW_MANAGER_CLOSED', 'The app is quitting');
    const firstUrl = options.beforeLoad ? PLACEHOLDER_URL : target.url;
    const page = await this.startWindow(target, firstUrl);
    const window: AppWindow = { id: this.nextId++, target, page };
    this.open.set(page, window);
    page.once('close', () => this.open.delete(page));
    // The user (or the app) may close the window while it is still being set up. Playwright's
    // calls on a page whose browser has just ended do not always settle, so the set-up gives way
    // to the close instead of holding the queue (and every later window, and quit) forever.
    await Promise.race([this.setUp(page, target, firstUrl, options), closedWhileOpening(page)]);
    return window;
  }

  private async setUp(page: Page, target: WindowTarget, firstUrl: string, options: OpenOptions): Promise<void> {
    await this.applySize(page, target);
    if (firstUrl !== target.url) {
      await options.beforeLoad?.(page);
      await page.goto(target.url);
    }
  }

  private async startWindow(target: WindowTarget, url: string): Promise<Page> {
    const profileArgs =
      target.kind === 'account' ? [`--profile-directory=${accountProfileDirectory(target.accountId)}`] : [];
    const appArgs = [...profileArgs, `--app=${url}`];
    if (!this.context) {
      const context = await this.launch(appArgs);
      return context.pages()[0] ?? (await context.waitForEvent('page', { timeout: OPEN_TIMEOUT_MS }));
    }
    const context = this.context;
    const pageOpened = context.waitForEvent('page', {
      timeout: OPEN_TIMEOUT_MS,
      predicate: async (page) => (await page.opener()) === null,
    });
    this.handOff(appArgs);
    try {
      return await pageOpened;
    } catch {
      throw new WindowError('WINDOW_DID_NOT_OPEN', 'The browser did not open the window');
    }
  }

  private async launch(appArgs: string[]): Promise<BrowserContext> {
    // A browser that ended a moment ago (its last window closed) may still hold the profile; a new
    // one started now would hand its window to the dying one and exit.
    await this.browserEnded;
    const runningAsRoot = process.getuid?.() === 0;
    this.launching = chromium.launchPersistentContext(this.options.userDataDir, {
      executablePath: this.options.browser.executablePath,
      headless: false,
      chromiumSandbox: !runningAsRoot,
      args: [...chromiumSwitches(runningAsRoot), ...appArgs],
      ignoreDefaultArgs: PLAYWRIGHT_DEFAULTS_TO_DROP,
      viewport: null,
      env: this.options.env ?? process.env,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return this.launching.then(async (context) => {
      const browserPid = await profileLockHolder(this.options.userDataDir);
      this.context = context;
      this.launching = undefined;
      this.browserEnded = new Promise<void>((resolve) => context.once('close', () => resolve())).then(async () => {
        if (browserPid !== undefined) await processEnded(browserPid, BROWSER_EXIT_LIMIT_MS);
      });
      // The user closed the last window: the browser is gone, the next window starts it again.
      context.once('close', () => {
        if (this.context === context) this.context = undefined;
        if (!this.closed) this.options.onLastWindowClosed?.();
      });
      return context;
    });
  }

  /** A short-lived second browser process that passes `appArgs` to the running one and exits. */
  private handOff(appArgs: string[]): void {
    const runningAsRoot = process.getuid?.() === 0;
    const child = spawn(
      this.options.browser.executablePath,
      [`--user-data-dir=${this.options.userDataDir}`, ...chromiumSwitches(runningAsRoot), ...appArgs],
      { env: this.options.env ?? process.env, stdio: 'ignore' },
    );
    this.handOffs.add(child);
    child.once('exit', () => this.handOffs.delete(child));
    child.once('error', () => this.handOffs.delete(child));
  }

  private async applySize(page: Page, target: WindowTarget): Promise<void> {
    if (!target.size) return;
    const context = page.context();
    const session = await context.newCDPSession(page);
    try {
      const { windowId } = await session.send('Browser.getWindowForTarget');
      await session.send('Browser.setWindowBounds', { windowId, bounds: { ...target.size, windowState: 'normal' } });
    } finally {
      await session.detach().catch(() => undefined);
    }
  }
}
