import {
  clientPushSender,
  PULL_REVISION_MOBILE,
  PULL_REVISION_WEB,
  type PushEnvelope,
  type PushExtra,
  type PushRpcMessage,
  type PushSender,
  type PushText,
  SERVER_PUSH_SENDER,
} from '@portaldesk/protocol';
import type { PushEvent } from './push-event.ts';

/** How a connection wants its frames, from the connect URL. */
export type FrameFormat = 'json-rpc' | 'json' | 'text';

/** The resume point of a stored event: the user's sequence number. */
export const storedMid = (seq: number): string => String(seq);
/** What is never stored gets the resume point it was sent at, made unique by a counter. */
export const unstoredMid = (lastSeq: number, n: number): string => `${lastSeq}.${n}`;

/** The sequence number a `mid` lets the client resume after; null when it is not one of ours. */
export function parseMid(mid: string | null | undefined): number | null {
  if (!mid) return null;
  const match = /^(\d{1,15})(?:\.\d{1,15})?$/.exec(mid);
  return match?.[1] ? Number(match[1]) : null;
}

export interface FrameInput {
  id: number;
  mid: string;
  /** The public key of the channel the event came through. */
  channel: string;
  event: PushEvent;
  at: Date;
  serverName: string;
}

/** Every frame says who sent its event, in every format, so that no client can pass for the server. */
const senderOf = (event: PushEvent): PushSender =>
  event.sender?.type === 'client' ? clientPushSender(event.sender.userId) : SERVER_PUSH_SENDER;

const extraFor = (input: FrameInput): PushExtra => ({
  server_time: atom(input.at),
  server_time_unix: input.at.getTime() / 1000,
  server_name: input.serverName,
  revision_web: PULL_REVISION_WEB,
  revision_mobile: PULL_REVISION_MOBILE,
  sender: senderOf(input.event),
});

const textFor = (event: PushEvent): PushText => ({
  module_id: event.moduleId,
  command: event.command,
  params: event.params,
});

export function envelope(input: FrameInput): PushEnvelope {
  return {
    id: input.id,
    mid: input.mid,
    channel: input.channel,
    tag: input.mid,
    time: input.at.toUTCString(),
    text: textFor(input.event),
    extra: extraFor(input),
  };
}

export function rpcMessage(input: FrameInput): PushRpcMessage {
  const extra = extraFor(input);
  return { mid: input.mid, body: { ...textFor(input.event), extra }, expiry: 0, sender: extra.sender };
}

/** Encodes a batch of events in the connection's format as one WebSocket frame. */
export function encodeFrame(format: FrameFormat, inputs: readonly FrameInput[]): string {
  switch (format) {
    case 'json-rpc': {
      const calls = inputs.map((i) => ({ jsonrpc: '2.0', method: 'incoming.message', params: rpcMessage(i) }));
      return JSON.stringify(calls.length === 1 ? calls[0] : calls);
    }
    case 'json':
      return JSON.stringify(inputs.map(envelope));
    case 'text':
      return inputs.map((i) => `#!NGINXNMS!#${JSON.stringify(envelope(i))}#!NGINXNME!#`).join('');
  }
}

/** `2026-01-01T00:00:00+00:00`, the ATOM form Bitrix24 writes dates in. */
export function atom(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
