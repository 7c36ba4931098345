import { type PushSender, readPushSender } from '@portaldesk/protocol';
import { z } from 'zod';

/**
 * The realtime ("push and pull") connection as bitrix24-wire.md describes it, in plain JSON mode
 * (`format=json`): every frame is an array of envelopes, or the bare text `ping`.
 */
export interface PullEvent {
  mid: string;
  moduleId: string;
  command: string;
  params: Record<string, unknown>;
  /** From `extra.sender`: the server, or a user's client (unknown when the frame names none). */
  sender: PushSender;
}

const PullConfigSchema = z.looseObject({
  server: z.looseObject({ websocket: z.string(), websocket_secure: z.string().default('') }),
  api: z.looseObject({ revision_web: z.coerce.number() }).optional(),
  channels: z.looseObject({
    private: z.looseObject({ id: z.string() }),
    shared: z.looseObject({ id: z.string() }).optional(),
  }),
});
export type PullConfig = z.infer<typeof PullConfigSchema>;

export function parsePullConfig(value: unknown): PullConfig | null {
  const parsed = PullConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Bitrix24 web clients speak revision 19 of the protocol. */
export const PULL_REVISION = 19;

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
  const channels = [config.channels.private.id, config.channels.shared?.id].filter(Boolean).join('/');
  url.searchParams.set('CHANNEL_ID', channels);
  url.searchParams.set('revision', String(PULL_REVISION));
  url.searchParams.set('format', 'json');
  if (lastMid) url.searchParams.set('mid', lastMid);
  return url.href;
}

const EnvelopeSchema = z.looseObject({
  mid: z.union([z.string(), z.number()]).transform(String),
  text: z.looseObject({
    module_id: z.string(),
    command: z.string(),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  extra: z.looseObject({ sender: z.unknown().optional() }).optional().catch(undefined),
});

/** The events in a frame, in order; `ping` and anything malformed yield none. */
export function parsePullFrame(frame: string): PullEvent[] {
  if (frame === 'ping' || frame === 'pong') return [];
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  const events: PullEvent[] = [];
  for (const item of list) {
    const parsed = EnvelopeSchema.safeParse(item);
    if (!parsed.success) continue;
    const { mid, text, extra } = parsed.data;
    // The official SDK lower-cases module ids; so do we.
    events.push({
      mid,
      moduleId: text.module_id.toLowerCase(),
      command: text.command,
      params: text.params,
      sender: readPushSender(extra?.sender),
    });
  }
  return events;
}
