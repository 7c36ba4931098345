import { pullSocketAddress } from '@portaldesk/client';
import { type PullConfigEssentials, parsePullConfig, parsePushFrame, type RealtimeEvent } from '@portaldesk/protocol';

/**
 * The realtime ("push and pull") frames and config as the page names them. They are declared once,
 * in protocol (`realtime/realtime-event.ts`, `realtime/pull-config.ts`); the connection itself is
 * the shared session of `@portaldesk/client`.
 */
export type PullEvent = RealtimeEvent;
export type PullConfig = PullConfigEssentials;
export { parsePullConfig, parsePushFrame as parsePullFrame };

/**
 * The page's WebSocket address: the secure one on an https page, our channels, the resume point,
 * plain JSON frames. Null when the server names an address the page may not connect to.
 */
export function pullSocketUrl(config: PullConfig, pageOrigin: string, lastMid: string | null): string | null {
  return pullSocketAddress(config, { framing: 'json', pageOrigin, lastMid });
}
