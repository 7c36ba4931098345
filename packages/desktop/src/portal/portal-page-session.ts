import { PORTAL_SESSION_STORAGE_KEY } from '@portaldesk/protocol';
import type { Page } from 'playwright-core';
import type { PortalSession } from '../accounts/account-sign-in.ts';

/** The binding an account window's Ctrl+1…9 calls; it can do nothing but switch accounts. */
const SWITCH_BINDING = '__portaldeskSwitchAccount';

export interface PortalPageSession {
  session: PortalSession;
  /** Whose account and which portal: " — Ann Lee · Acme", after whatever the page calls itself. */
  titleSuffix: string | undefined;
  /** Ctrl+1…9 in the window: the n-th account (1…9, checked here) comes forward. */
  switchToNth(n: number): void;
}

/**
 * What an account's portal window gets before its page loads, in the account's own profile: the
 * session cookies, the portal's CSRF token in the tab's storage, the window's title and the one
 * binding that switches accounts. The portal's page never gets the bridge.
 */
export async function preparePortalPage(page: Page, prepared: PortalPageSession): Promise<void> {
  await setSessionCookies(page, prepared.session);
  await handSessionToPortalPage(page, prepared.session);
  await addAccountKeys(page, prepared.switchToNth);
  if (prepared.titleSuffix !== undefined) await nameAccountWindow(page, prepared.titleSuffix);
}

async function setSessionCookies(page: Page, session: PortalSession): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const secure = session.origin.startsWith('https:');
    await cdp.send('Network.setCookies', {
      cookies: [...session.cookies].map(([name, value]) => ({
        name,
        value,
        url: `${session.origin}/`,
        path: '/',
        httpOnly: true,
        secure,
        sameSite: 'Lax' as const,
      })),
    });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * The portal web UI keeps its CSRF token (`sessid`) in the tab's `sessionStorage`, filled at its
 * own sign-in; a window signed in by the desktop gets it there before the page's first script.
 */
async function handSessionToPortalPage(page: Page, session: PortalSession): Promise<void> {
  await page.addInitScript(
    ({ origin, key, value }) => {
      if (window.location.origin === origin && !window.sessionStorage.getItem(key)) {
        window.sessionStorage.setItem(key, value);
      }
    },
    {
      origin: session.origin,
      key: PORTAL_SESSION_STORAGE_KEY,
      value: JSON.stringify({ userId: session.userId, sessid: session.sessid }),
    },
  );
}

/**
 * Every account window would be titled as its portal page is ("Portaldesk"): the title says
 * whose account and which portal it is, after whatever the page calls itself.
 */
async function nameAccountWindow(page: Page, suffix: string): Promise<void> {
  // A string, not a function: the page must not get the TypeScript runner's helpers.
  await page.addInitScript({
    content: `(() => {
        const suffix = ${JSON.stringify(suffix)};
        const name = () => {
          if (!document.title.endsWith(suffix)) document.title = (document.title || 'Portaldesk') + suffix;
        };
        document.addEventListener('DOMContentLoaded', () => {
          name();
          new MutationObserver(name).observe(document.head, { subtree: true, childList: true, characterData: true });
        });
      })();`,
  });
}

/**
 * Ctrl+1…9 in an account's window. The portal's page gets one binding that can only switch
 * to the n-th account (checked here), never the bridge.
 */
async function addAccountKeys(page: Page, switchToNth: (n: number) => void): Promise<void> {
  await page.exposeBinding(SWITCH_BINDING, (source, n: unknown) => {
    if (source.frame !== source.page.mainFrame()) return;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 9) return;
    switchToNth(n);
  });
  await page.addInitScript((binding: string) => {
    const call = (globalThis as unknown as Record<string, (n: number) => void>)[binding];
    window.addEventListener(
      'keydown',
      (event) => {
        if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey) return;
        const n = Number.parseInt(event.key, 10);
        if (n >= 1 && n <= 9 && call) {
          event.preventDefault();
          call(n);
        }
      },
      true,
    );
  }, SWITCH_BINDING);
}
