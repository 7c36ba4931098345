import { z } from 'zod';

/**
 * Who sent a realtime event, as the push server marks it: `extra.sender` in every envelope (and
 * `params.sender` of a JSON-RPC `incoming.message`, which the official client copies there).
 */
export const PushSenderType = {
  unknown: 0,
  /** A user's client published it over its socket; `id` is that user's id. */
  client: 1,
  /** The server (the portal's backend). */
  backend: 2,
} as const;

export const PushSenderSchema = z.object({
  type: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** The publishing user's id for a client; empty for the server. */
  id: z.union([z.string(), z.number()]).transform(String).default(''),
});
export type PushSender = z.output<typeof PushSenderSchema>;

export const SERVER_PUSH_SENDER: PushSender = { type: PushSenderType.backend, id: '' };

export function clientPushSender(userId: number): PushSender {
  return { type: PushSenderType.client, id: String(userId) };
}

const UNKNOWN_SENDER: PushSender = { type: PushSenderType.unknown, id: '' };

/** The sender a received frame names; unknown when it names none or something else. */
export function readPushSender(value: unknown): PushSender {
  const parsed = PushSenderSchema.safeParse(value);
  return parsed.success ? parsed.data : UNKNOWN_SENDER;
}

/**
 * Modules whose commands change what a user sees (messages, notifications, edits, reads,
 * people's status) or how the client is connected: only the server may send them.
 */
const SERVER_ONLY_MODULES: ReadonlySet<string> = new Set(['im', 'notify', 'pull', 'online']);

/**
 * May a client act on this event as the server's? A client's publication never is one (the
 * official client hands it only to *client* subscriptions); for `im`, `notify`, `pull` and `online`, an
 * event that does not name the server as its sender is not either.
 */
export function isServerPush(moduleId: string, sender: PushSender): boolean {
  if (sender.type === PushSenderType.backend) return true;
  return sender.type !== PushSenderType.client && !SERVER_ONLY_MODULES.has(moduleId.toLowerCase());
}
