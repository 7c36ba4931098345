import { z } from 'zod';
import { type PushSender, readPushSender } from './push-sender.ts';

/**
 * The one declaration of a realtime ("push and pull") command and of an event as every client
 * reads it. The server records and sends a {@link RealtimeCommand}; the clients receive it as a
 * {@link RealtimeEvent}: the same command with its resume point (`mid`) and its sender.
 */
export interface RealtimeCommand {
  /** `im`, `pull`, `online`, … (the official client lower-cases it; so do ours). */
  moduleId: string;
  /** `message`, `messageChat`, `readMessage`, `notifyAdd`, `channel_expire`, … */
  command: string;
  params: Record<string, unknown>;
}

export interface RealtimeEvent extends RealtimeCommand {
  /** The resume point: a reconnect with this `mid` gets what came after it, exactly once. */
  mid: string;
  /** From `extra.sender` (or JSON-RPC `params.sender`): the server, or a user's client (unknown when none). */
  sender: PushSender;
}

const MidSchema = z.union([z.string(), z.number()]).transform(String);

/** `text` of an envelope (`body` of a JSON-RPC message): the command. */
export const PushTextSchema = z.looseObject({
  module_id: z.string(),
  command: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/** One envelope of a plain-JSON frame (`format=json`); only what a client reads is required. */
export const PushEnvelopeSchema = z.looseObject({
  mid: MidSchema,
  channel: z.string().optional(),
  text: PushTextSchema,
  extra: z.looseObject({ sender: z.unknown().optional() }).optional().catch(undefined),
});

/** A JSON-RPC (`jsonRpc=true`) call of the server: `incoming.message` carries one event. */
export const PushRpcFrameSchema = z.looseObject({
  method: z.string(),
  params: z
    .looseObject({
      mid: MidSchema,
      body: PushTextSchema.extend({
        extra: z.looseObject({ sender: z.unknown().optional() }).optional().catch(undefined),
      }),
      /** Who sent it; the official client reads it here (and copies it to `body.extra.sender`). */
      sender: z.unknown().optional(),
    })
    .optional(),
});

/** The JSON-RPC method by which the server hands the client one event. */
export const PUSH_RPC_INCOMING = 'incoming.message';

/**
 * The events in one text frame, in order, in either framing: an array of envelopes (plain JSON)
 * or one or more JSON-RPC `incoming.message` calls. `ping`, `pong` and anything malformed yield none.
 */
export function parsePushFrame(frame: string): RealtimeEvent[] {
  if (frame === 'ping' || frame === 'pong') return [];
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return [];
  }
  const events: RealtimeEvent[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    // A JSON-RPC call names its method; an envelope does not.
    const event =
      typeof item === 'object' && item !== null && 'method' in item ? readRpcMessage(item) : readEnvelope(item);
    if (event) events.push(event);
  }
  return events;
}

function readEnvelope(item: unknown): RealtimeEvent | null {
  const parsed = PushEnvelopeSchema.safeParse(item);
  if (!parsed.success) return null;
  const { mid, text, extra } = parsed.data;
  return realtimeEvent(mid, text, extra?.sender);
}

function readRpcMessage(item: unknown): RealtimeEvent | null {
  const parsed = PushRpcFrameSchema.safeParse(item);
  if (!parsed.success || parsed.data.method !== PUSH_RPC_INCOMING || !parsed.data.params) return null;
  const { mid, body, sender } = parsed.data.params;
  return realtimeEvent(mid, body, sender ?? body.extra?.sender);
}

function realtimeEvent(mid: string, text: z.output<typeof PushTextSchema>, sender: unknown): RealtimeEvent {
  return {
    mid,
    moduleId: text.module_id.toLowerCase(),
    command: text.command,
    params: text.params,
    sender: readPushSender(sender),
  };
}
