/**
 * The WebSocket the realtime session talks through, passed in: the browser's `WebSocket` on the
 * pages, `ws` (with the desktop's resolver) in the desktop's main process and the benchmarks.
 */
export interface RealtimeSocket {
  send(text: string): void;
  /** Ends the socket at once; no handler is called afterwards. */
  close(): void;
}

export interface RealtimeSocketHandlers {
  open(): void;
  message(text: string): void;
  /**
   * The socket ended (or never opened). `refused`: the server turned the channel down (HTTP 401,
   * 403, 404 on the handshake): the config must be fetched again.
   */
  closed(refused: boolean): void;
}

export type OpenRealtimeSocket = (url: string, handlers: RealtimeSocketHandlers) => RealtimeSocket;

/** The standard `WebSocket` interface (the browser's; `ws` has it too). */
interface StandardWebSocket {
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(text: string): void;
  close(code?: number): void;
}

/**
 * Sockets of the standard `WebSocket` class (the browser's own by default). A socket that closes
 * before it opened counts as refused: a page cannot see the handshake's status, and a fresh
 * config is the cure for an expired channel.
 */
export function standardSockets(
  WebSocketClass: new (url: string) => StandardWebSocket = globalThis.WebSocket as never,
): OpenRealtimeSocket {
  return (url, handlers) => {
    const socket = new WebSocketClass(url);
    let opened = false;
    let done = false;
    socket.onopen = () => {
      opened = true;
      if (!done) handlers.open();
    };
    socket.onmessage = (event) => {
      if (!done) handlers.message(String(event.data));
    };
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (done) return;
      done = true;
      handlers.closed(!opened);
    };
    return {
      send: (text) => socket.send(text),
      close: () => {
        done = true;
        socket.close(1000);
      },
    };
  };
}
