import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The machine's own Chromium (Debian package `chromium`); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../../test-output/screenshots/', import.meta.url));
const UI_DIST_INDEX = fileURLToPath(new URL('../../dist/index.html', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(UI_DIST_INDEX)) {
    throw new Error('The web UI is not built: run `npm run build -w @portaldesk/ui` (npm test does it first)');
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const PHONE_VIEWPORT = { width: 360, height: 780 };
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
/** The sizes issue 16 names: a wide desktop screen and a current phone. */
export const WIDE_VIEWPORT = { width: 1440, height: 900 };
export const PHONE_390_VIEWPORT = { width: 390, height: 844 };

/** What a page did that a user or an auditor would object to. */
export interface PageWatch {
  page: Page;
  context: BrowserContext;
  /** Script errors and errors the page logged; not the browser's note on each HTTP error answer. */
  consoleErrors: string[];
  /** Every request to an origin other than the page's own. */
  foreignRequests: string[];
  /** Pages and assets answered with an error (API answers such as a 401 sign-in are the API's). */
  failedAssets: string[];
}

/** Chromium logs one of these for every HTTP error answer, expected or not; `failedAssets` has them. */
const HTTP_ERROR_NOTE = /^Failed to load resource: the server responded with a status of \d+/;
const API_PATH = /^\/(rest|desktop_app|oauth|pull|network)\//;

/** A fresh page (own cookies and storage) that records console errors and foreign requests. */
export async function openWatchedPage(
  browser: Browser,
  origin: string,
  viewport = DESKTOP_VIEWPORT,
): Promise<PageWatch> {
  // A window as narrow as a phone is a phone: it is touched, not pointed at.
  const context = await browser.newContext({ viewport, ...(viewport.width < 768 ? { hasTouch: true } : {}) });
  const page = await context.newPage();
  const watch: PageWatch = { page, context, consoleErrors: [], foreignRequests: [], failedAssets: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' && !HTTP_ERROR_NOTE.test(message.text())) watch.consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && !API_PATH.test(url.pathname))
      watch.failedAssets.push(`${response.status()} ${url.pathname}`);
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) watch.foreignRequests.push(url);
  });
  return watch;
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the page's own sign-in form (portal or mobile) and waits until it is gone. */
export async function signInWithForm(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'detached' });
}
