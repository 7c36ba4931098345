import { PULL_REVISION_WEB, type PullConfigEssentials, pullChannelIds } from '@portaldesk/protocol';

/** How the events come: JSON-RPC calls acknowledged with `mack:` (the SDK's mode), or arrays of envelopes. */
export type PullFraming = 'json-rpc' | 'json';

export interface PullSocketAddressOptions {
  framing: PullFraming;
  /** Where to resume: the last `mid` seen. */
  lastMid: string | null;
  /**
   * A page's origin: the secure address on an https page, and only an address on the page's own
   * host (null otherwise). Without it, the secure address when the server names one.
   */
  pageOrigin?: string;
  /** More query parameters (the desktop's `clientType`). */
  extra?: Record<string, string>;
}

/** The WebSocket address of `pull.config.get`'s server with our channels, the revision and the resume point. */
export function pullSocketAddress(config: PullConfigEssentials, options: PullSocketAddressOptions): string | null {
  const { pageOrigin } = options;
  const secure = pageOrigin ? pageOrigin.startsWith('https:') : Boolean(config.server.websocket_secure);
  const base = secure && config.server.websocket_secure ? config.server.websocket_secure : config.server.websocket;
  let url: URL;
  try {
    url = new URL(base, pageOrigin);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (pageOrigin && (url.host !== new URL(pageOrigin).host || (secure && url.protocol !== 'wss:'))) return null;
  url.searchParams.set('CHANNEL_ID', pullChannelIds(config));
  url.searchParams.set('revision', String(PULL_REVISION_WEB));
  if (options.framing === 'json-rpc') url.searchParams.set('jsonRpc', 'true');
  else url.searchParams.set('format', 'json');
  for (const [name, value] of Object.entries(options.extra ?? {})) url.searchParams.set(name, value);
  if (options.lastMid) url.searchParams.set('mid', options.lastMid);
  return url.href;
}
