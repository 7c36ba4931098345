import { z } from 'zod';

/** One channel as `pull.config.get` hands it out; `start`/`end` are ATOM dates. */
export interface PullChannel {
  id: string;
  public_id?: string;
  start: string;
  end: string;
  type: 'private' | 'shared';
}

/** A user's public channel, as listed in `publicChannels`. */
export interface PullPublicChannel {
  user_id: number;
  public_id: string;
  signature: string;
  start: string;
  end: string;
}

/** The answer of `pull.config.get` / `pull.application.config.get`. */
export interface PullConfig {
  server: {
    version: number;
    server_enabled: boolean;
    mode: 'personal' | 'shared';
    hostname: string;
    websocket_enabled: boolean;
    websocket: string;
    websocket_secure: string;
    long_polling: string;
    /** Spelled so on the wire (sic). */
    long_pooling_secure: string;
    publish_enabled: boolean;
    publish: string;
    publish_secure: string;
    config_timestamp: number;
  };
  api: { revision_web: number; revision_mobile: number };
  channels: { private: PullChannel; shared: PullChannel };
  publicChannels: Record<string, PullPublicChannel>;
  clientId: string | null;
  jwt: string;
  /** Unix time after which the whole configuration must be fetched again. */
  exp: number;
  /** ATOM time of the server when the config was made; the SDK computes its clock shift from it. */
  serverTime: string;
}

/**
 * The protocol revision: what the server advertises as `api.revision_web` and every client sends
 * as `revision=` (the official web client switches itself off on any other).
 */
export const PULL_REVISION_WEB = 19;
export const PULL_REVISION_MOBILE = 3;
/** Version 5: JSON-RPC over WebSocket, plain JSON with `format=json`. */
export const PULL_SERVER_VERSION = 5;

/**
 * The part of a {@link PullConfig} a client needs to connect, as it is read off the wire: loose,
 * so that a newer server's extra fields pass, and tolerant of a server without a secure address.
 */
export const PullConfigSchema = z.looseObject({
  server: z.looseObject({
    version: z.coerce.number().optional(),
    websocket: z.string(),
    websocket_secure: z.string().default(''),
  }),
  api: z.looseObject({ revision_web: z.coerce.number() }).optional(),
  channels: z.looseObject({
    private: z.looseObject({ id: z.string(), end: z.string().optional() }),
    shared: z.looseObject({ id: z.string(), end: z.string().optional() }).optional(),
  }),
});
export type PullConfigEssentials = z.output<typeof PullConfigSchema>;

/** The config `pull.config.get` answered, or null when it is not one. */
export function parsePullConfig(value: unknown): PullConfigEssentials | null {
  const parsed = PullConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `CHANNEL_ID=` of the socket address: the private channel, then the shared one. */
export function pullChannelIds(config: PullConfigEssentials): string {
  return [config.channels.private.id, config.channels.shared?.id].filter(Boolean).join('/');
}
