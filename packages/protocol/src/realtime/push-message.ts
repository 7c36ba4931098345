import type { PushSender } from './push-sender.ts';

/**
 * Frames of the realtime ("push and pull") WebSocket, version 5.
 *
 * Plain JSON mode (`format=json`) sends arrays of {@link PushEnvelope}. JSON-RPC mode
 * (`jsonRpc=true`) sends `{"jsonrpc":"2.0","method":"incoming.message","params":PushRpcMessage}`
 * and the bare text `ping` (answer: `pong`); the client acknowledges with `mack:<mid>`.
 *
 * `mid` is the resume point: for a stored event it is the user's event sequence number in
 * decimal; for what is never stored (typing, presence, control) it is `<last seq>.<n>`. A client
 * reconnects with the last `mid` it saw and gets everything after it exactly once.
 *
 * The desktop application connects with {@link PULL_DESKTOP_CLIENT_PARAM}; while one is connected,
 * the user's other clients receive `im`/`desktopOnline`, and `im`/`desktopOffline` when the last one goes.
 */
export interface PushText {
  module_id: string;
  command: string;
  params: Record<string, unknown>;
}

export interface PushExtra {
  server_time: string;
  server_time_unix: number;
  server_name: string;
  revision_web: number;
  revision_mobile: number;
  /** Who sent the event: the server, or a user's client (see push-sender.ts). */
  sender: PushSender;
  [key: string]: unknown;
}

export interface PushEnvelope {
  id: number;
  mid: string;
  channel: string;
  tag: string;
  time: string;
  text: PushText;
  extra: PushExtra;
}

export interface PushRpcMessage {
  mid: string;
  body: PushText & { extra: PushExtra };
  expiry: number;
  /** The same as `body.extra.sender`; the official client reads it from here. */
  sender: PushSender;
}

/** Commands of module `pull` that tell the client to change how it is connected. */
export const PullControlCommand = {
  /** The channel ends: `action` `reconnect` (with `new_channel`) or `get_config`. */
  channelExpire: 'channel_expire',
  /** Fetch `pull.config.get` again. */
  configExpire: 'config_expire',
  /** The server is going away; reconnect in a while. */
  serverRestart: 'server_restart',
  /**
   * The `mid` the client resumed from is older than the events still kept (or unknown): what it
   * missed cannot be replayed. Reload state through REST; live events continue after `params.mid`.
   */
  resync: 'resync',
} as const;

export interface ResyncParams {
  reason: 'history_pruned' | 'unknown_mid';
  /** The resume point the client now holds. */
  mid: string;
}

/** `online` module command sent to connections that called `subscribeStatusChange`. */
export interface UserStatusChangeParams {
  user_id: number;
  online: boolean;
}

/** Query parameter the desktop application adds to the WebSocket URL. */
export const PULL_DESKTOP_CLIENT_PARAM = { name: 'clientType', value: 'desktop' } as const;
