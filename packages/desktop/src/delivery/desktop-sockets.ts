import type { OpenRealtimeSocket } from '@portaldesk/client';
import WebSocket from 'ws';
import { desktopLookup, type Lookup } from '../portal/desktop-http-client.ts';

/** How long a WebSocket handshake may take before the attempt counts as failed. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * The realtime session's sockets in the main process: `ws`, with the desktop's resolver
 * (`*.localhost` is loopback). A handshake the portal answers with 401, 403 or 404 is a refused
 * channel (expired, or its session ended): the session fetches a new config.
 */
export function desktopSockets(lookup: Lookup = desktopLookup()): OpenRealtimeSocket {
  return (url, handlers) => {
    const socket = new WebSocket(url, { lookup, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
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
