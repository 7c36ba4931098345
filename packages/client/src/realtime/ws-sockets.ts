import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';
import type { OpenRealtimeSocket } from './realtime-socket.ts';

export interface WsSocketOptions {
  /** The resolver (the desktop's own, or the tests' and benchmarks': `*.localhost` is loopback). */
  lookup?: LookupFunction;
  /** How long a handshake may take before the attempt counts as failed. */
  handshakeTimeoutMs?: number;
  /** Offer compression (ws does by default); the benchmarks turn it off, as the official client's server does. */
  perMessageDeflate?: boolean;
}

/**
 * The realtime session's sockets in Node (the desktop's main process, the benchmarks): `ws`.
 * A handshake the portal answers with 401, 403 or 404 is a refused channel (expired, or its
 * session ended): the session fetches a new config. Node only: not exported from the package's
 * index, which the pages bundle.
 */
export function wsSockets(options: WsSocketOptions = {}): OpenRealtimeSocket {
  return (url, handlers) => {
    const socket = new WebSocket(url, {
      ...(options.lookup ? { lookup: options.lookup } : {}),
      handshakeTimeout: options.handshakeTimeoutMs ?? 15_000,
      perMessageDeflate: options.perMessageDeflate ?? true,
    });
    let refused = false;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    };
    socket.on('open', () => handlers.open());
    socket.on('message', (data) => handlers.message(data.toString()));
    socket.on('unexpected-response', (_request, response) => {
      refused = response.statusCode === 401 || response.statusCode === 403 || response.statusCode === 404;
      socket.terminate();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (done) return;
      end();
      handlers.closed(refused);
    });
    return { send: (text) => socket.send(text), close: end };
  };
}
