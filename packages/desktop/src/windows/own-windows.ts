import type { BridgeWindow } from '@portaldesk/protocol';
import type { WindowSize, WindowTarget } from './window-target.ts';

export interface OwnWindowDefinition {
  /** The page of the built UI (`packages/ui`) the window loads, relative to the UI's base URL. */
  page: string;
  size: WindowSize;
}

/**
 * The desktop's own windows and the UI page each loads. Each page is an entry point of
 * `packages/ui` (see its `vite.config.ts`); every one of them gets the bridge, with the channels
 * the channel list gives that window.
 * - login: address, login, password, one-time code (packages/ui/desktop/login.html).
 * - chat: the separate messenger window, showing the active account (packages/ui/desktop/chat.html).
 * - accounts: add, switch, reorder, remove accounts (packages/ui/desktop/accounts.html).
 */
export const OWN_WINDOWS = {
  // Tall enough for the QR step (code, status, link fallback, keyring warning) without scrolling.
  login: { page: 'desktop/login.html', size: { width: 460, height: 720 } },
  chat: { page: 'desktop/chat.html', size: { width: 1100, height: 740 } },
  accounts: { page: 'desktop/accounts.html', size: { width: 520, height: 620 } },
} as const satisfies Record<BridgeWindow, OwnWindowDefinition>;

export type OwnWindowName = keyof typeof OWN_WINDOWS;

/** `uiBaseUrl` ends with `/`: the UI asset server's origin, or a Vite dev server in development. */
export function ownWindowTarget(name: OwnWindowName, uiBaseUrl: string): WindowTarget {
  const definition = OWN_WINDOWS[name];
  return { kind: 'own', name, url: new URL(definition.page, uiBaseUrl).href, size: definition.size };
}
