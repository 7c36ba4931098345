import { z } from 'zod';
import { chatAccountSchema } from './bridge-channels.ts';

/*
 * What the desktop main process tells its own windows without being asked: the other direction
 * of the UI bridge. The main process validates before sending and the window again on arrival.
 */
export const bridgeEvents = {
  /** The chat window's account changed (the user switched accounts, or signed in the first one). */
  'chat.account': z.object({ account: chatAccountSchema.nullable() }),
  /** A realtime `im` command for the shown account, as its background connection received it. */
  'chat.push': z.object({
    accountId: z.string(),
    command: z.string().max(100),
    params: z.record(z.string(), z.unknown()),
  }),
  /** Unread counts or connection states of the accounts changed: reload `accounts.list`. */
  'accounts.changed': z.object({}),
  /** The account's realtime connection resumed after a loss: reload what is shown. */
  'chat.resync': z.object({ accountId: z.string() }),
  /** Open this dialog, or the notifications list (a notification was clicked). */
  'chat.openDialog': z.object({
    accountId: z.string(),
    dialogId: z.string().regex(/^((chat)?\d+|notifications)$/),
  }),
} as const;

/**
 * What a click on a portal notification opens in the chat window, where a message's notification
 * names its dialog.
 */
export const NOTIFICATIONS_TARGET = 'notifications';

export type BridgeEventName = keyof typeof bridgeEvents;
export type BridgeEventPayload<E extends BridgeEventName> = z.infer<(typeof bridgeEvents)[E]>;

/** The DOM event the main process dispatches on the window; `detail` is `{ name, payload }`. */
export const BRIDGE_EVENT_TYPE = 'portaldesk-bridge-event';

/** For the desktop's windows (browser side): calls `handler` with each valid `name` event. */
export function onBridgeEvent<E extends BridgeEventName>(
  name: E,
  handler: (payload: BridgeEventPayload<E>) => void,
): () => void {
  const listener = (event: Event) => {
    const detail = (event as CustomEvent<{ name?: unknown; payload?: unknown }>).detail;
    if (detail?.name !== name) return;
    const parsed = bridgeEvents[name].safeParse(detail.payload);
    if (parsed.success) handler(parsed.data as BridgeEventPayload<E>);
  };
  globalThis.addEventListener(BRIDGE_EVENT_TYPE, listener);
  return () => globalThis.removeEventListener(BRIDGE_EVENT_TYPE, listener);
}
