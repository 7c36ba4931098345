import {
  PULL_REVISION_WEB,
  type PullConfigEssentials,
  parsePullConfig,
  parsePushFrame,
  pullChannelIds,
  type RealtimeEvent,
} from '@portaldesk/protocol';

/**
 * The realtime ("push and pull") connection as bitrix24-wire.md describes it, in plain JSON mode
 * (`format=json`): every frame is an array of envelopes, or the bare text `ping`. The frames and
 * the config are declared once, in protocol; this names them as the page uses them.
 */
export type PullEvent = RealtimeEvent;
export type PullConfig = PullConfigEssentials;
export { parsePullConfig, parsePushFrame as parsePullFrame };

/**
 * The WebSocket address: the secure one on an https page, our channels, the resume point.
 * Null when the server names an address the page may not connect to (another origin).
 */
export function pullSocketUrl(config: PullConfig, pageOrigin: string, lastMid: string | null): string | null {
  const secure = pageOrigin.startsWith('https:');
  const base = secure && config.server.websocket_secure ? config.server.websocket_secure : config.server.websocket;
  let url: URL;
  try {
    url = new URL(base, pageOrigin);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (url.host !== new URL(pageOrigin).host || (secure && url.protocol !== 'wss:')) return null;
  url.searchParams.set('CHANNEL_ID', pullChannelIds(config));
  url.searchParams.set('revision', String(PULL_REVISION_WEB));
  url.searchParams.set('format', 'json');
  if (lastMid) url.searchParams.set('mid', lastMid);
  return url.href;
}
