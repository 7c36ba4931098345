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

/** The protocol revision the official web client requires (it switches itself off otherwise). */
export const PULL_REVISION_WEB = 19;
export const PULL_REVISION_MOBILE = 3;
/** Version 5: JSON-RPC over WebSocket, plain JSON with `format=json`. */
export const PULL_SERVER_VERSION = 5;
