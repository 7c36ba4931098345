/** The URL scheme the desktop registers: `portaldesk://acme.bitrix24.com/dialog/chat7`. */
export const LINK_SCHEME = 'portaldesk';

/** What a `portaldesk://` link asks for: a portal (its host, with a port if any) and maybe a dialog. */
export interface PortaldeskLink {
  host: string;
  dialogId?: string;
}

const DIALOG_ID = /^(chat\d{1,18}|\d{1,18})$/;
const HOST = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/;

/**
 * Reads `portaldesk://<portal host>[/dialog/<dialog id>]`. Anything else, or a link with more
 * than that, is not a link of ours: `undefined`, and nothing happens.
 */
export function parsePortaldeskLink(text: string): PortaldeskLink | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${LINK_SCHEME}:` || url.username || url.password) return undefined;
  const host = url.host.toLowerCase();
  if (!HOST.test(host)) return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') return { host };
  const dialog = /^\/dialog\/([^/]+)$/.exec(path)?.[1];
  if (!dialog || !DIALOG_ID.test(dialog)) return undefined;
  return { host, dialogId: dialog };
}

/** The first `portaldesk://` link among a launch's arguments. */
export function linkInArguments(argv: readonly string[]): PortaldeskLink | undefined {
  for (const argument of argv) {
    if (argument.startsWith(`${LINK_SCHEME}:`)) {
      const link = parsePortaldeskLink(argument);
      if (link) return link;
    }
  }
  return undefined;
}
