import type { Page } from 'playwright-core';
import { type OpenOutside, outsideLink } from '../links/system-browser.ts';

export interface KeepInAppOptions {
  /** The origin of the app's own pages; the window never leaves it. */
  appOrigin: string;
  openOutside: OpenOutside;
  /** While developing the UI, DevTools and reloading stay available. */
  development: boolean;
  log?(message: string, fields?: Record<string, unknown>): void;
}

const OPEN_OUTSIDE_BINDING = '__portaldeskOpenOutside';

/**
 * Makes one of the app's own windows behave as an app rather than a page: a link to anywhere else
 * opens in the system's browser, the window itself never navigates away from the app's pages,
 * Chromium's page menu (Back, Reload, Print, Inspect) never shows (the messages have the app's own
 * menu; text fields keep the editing menu), and outside development the DevTools, view-source and
 * reload shortcuts do nothing.
 */
export async function keepInApp(page: Page, options: KeepInAppOptions): Promise<void> {
  const openOutside = (url: string) => {
    const link = outsideLink(url);
    if (!link) return;
    options.openOutside(link).catch((error: unknown) => options.log?.('link not opened', { message: String(error) }));
  };
  await page.exposeBinding(OPEN_OUTSIDE_BINDING, (source, url: unknown) => {
    if (source.frame !== source.page.mainFrame() || typeof url !== 'string') return;
    if (new URL(source.frame.url()).origin !== options.appOrigin) return;
    openOutside(url);
  });
  // Whatever else tries to take the window elsewhere (a script, a dropped link) is stopped here.
  await page.route('**/*', (route) => {
    const request = route.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      if (new URL(request.url()).origin !== options.appOrigin) {
        openOutside(request.url());
        // An answer with no content leaves the window on its page; an aborted request would show an error page.
        return route.fulfill({ status: 204 });
      }
    }
    return route.fallback();
  });
  await page.addInitScript({
    content: `(${KEEP_IN_APP_SCRIPT})(${JSON.stringify({ binding: OPEN_OUTSIDE_BINDING, development: options.development })});`,
  });
}

/**
 * Runs in the page before its own scripts. Plain JavaScript in a string: a function handed over
 * would be the TypeScript runner's output, which may call helpers the page does not have.
 */
const KEEP_IN_APP_SCRIPT = `({ binding, development }) => {
  // Looked up at each call: the binding may be installed after this script has run.
  const open = (url) => globalThis[binding]?.(url);
  const onLink = (event) => {
    const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(anchor instanceof HTMLAnchorElement) || anchor.origin === window.location.origin || event.button > 1) return;
    event.preventDefault();
    open(anchor.href);
  };
  window.addEventListener('click', onLink, true);
  window.addEventListener('auxclick', onLink, true);
  window.open = (url) => {
    if (url !== undefined) open(new URL(String(url), window.location.href).href);
    return null;
  };
  window.addEventListener('contextmenu', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('input, textarea, [contenteditable]:not([contenteditable="false"])')) return;
    event.preventDefault();
  });
  if (development) return;
  window.addEventListener('keydown', (event) => {
    const key = event.key.toLowerCase();
    const ctrl = event.ctrlKey || event.metaKey;
    const devTools = key === 'f12' || (ctrl && event.shiftKey && ['i', 'j', 'c'].includes(key));
    const pageCommand = key === 'f5' || (ctrl && !event.shiftKey && ['r', 'u', 'p'].includes(key));
    const history = event.altKey && (key === 'arrowleft' || key === 'arrowright');
    // Prevented, not stopped: the page's own shortcuts (Ctrl+U underline) still see the key.
    if (devTools || pageCommand || history) event.preventDefault();
  }, true);
}`;
