import { lookup } from 'node:dns';
import { type PushEnvelope, type PushRpcMessage, type PushSender, readPushSender } from '@portaldesk/protocol';
import WebSocket from 'ws';

/** Resolves `*.localhost` to this machine, as our own clients do (RFC 6761). */
export const localhostLookup: typeof lookup = ((hostname: string, options: unknown, callback: unknown) => {
  const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
  const opts = (typeof options === 'object' && options) || {};
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if ((opts as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
    return;
  }
  lookup(hostname, opts as never, cb as never);
}) as typeof lookup;

/** One received push, whatever the frame format. */
export interface ReceivedPush {
  mid: string;
  moduleId: string;
  command: string;
  params: Record<string, unknown>;
  /** 1 when another client published it, 2 when the server did (0: the frame named no sender). */
  senderType: number;
  /** As the frame names it: `extra.sender`, or `params.sender` in JSON-RPC mode. */
  sender: PushSender;
  raw: unknown;
}

/**
 * A real WebSocket client of the realtime endpoint for tests: it answers `ping`, acknowledges
 * every JSON-RPC message with `mack:` as the official client does, and collects what arrives.
 */
export class PullTestClient {
  readonly received: ReceivedPush[] = [];
  readonly rawFrames: string[] = [];
  closeCode: number | null = null;
  private readonly waiters: (() => void)[] = [];
  private readonly rpcAnswers = new Map<number, (answer: { result?: unknown; error?: unknown }) => void>();
  private nextId = 1;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  private constructor(
    readonly socket: WebSocket,
    readonly mode: 'json-rpc' | 'json',
  ) {
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
    socket.on('message', (data) => this.onFrame(data.toString()));
  }

  /** `ca`: the test certificate authority, for a `wss://` address. */
  static connect(url: string, mode: 'json-rpc' | 'json' = 'json-rpc', ca?: string): PullTestClient {
    const full = `${url}${url.includes('?') ? '&' : '?'}${mode === 'json-rpc' ? 'jsonRpc=true' : 'format=json'}`;
    return new PullTestClient(new WebSocket(full, { lookup: localhostLookup, ...(ca ? { ca } : {}) }), mode);
  }

  get lastMid(): string | null {
    return this.received.at(-1)?.mid ?? null;
  }

  /** Resolves once `predicate` holds, or fails after `ms`. */
  async waitFor(predicate: (client: this) => boolean, ms = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForCount(n: number, ms = 10_000): Promise<void> {
    return this.waitFor((c) => c.received.length >= n, ms, `${n} pushes`);
  }

  /** A JSON-RPC call to the server. */
  call(method: string, params: Record<string, unknown> = {}): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    return new Promise((resolve) => this.rpcAnswers.set(id, resolve));
  }

  /** The close code, or a failure after `ms` (so a socket the server should have closed cannot hang a test). */
  closedWithin(ms = 10_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the socket was still open after ${ms} ms`)), ms);
    });
    return Promise.race([this.closed, late]).finally(() => clearTimeout(timer));
  }

  close(): Promise<number> {
    this.socket.close();
    return this.closed;
  }

  private onFrame(text: string): void {
    this.rawFrames.push(text);
    if (text === 'ping') {
      this.socket.send('pong');
    } else if (this.mode === 'json-rpc') {
      this.onRpc(JSON.parse(text));
    } else {
      for (const envelope of JSON.parse(text) as PushEnvelope[]) {
        const sender = readPushSender(envelope.extra?.sender);
        this.received.push({
          mid: envelope.mid,
          moduleId: envelope.text.module_id,
          command: envelope.text.command,
          params: envelope.text.params,
          senderType: sender.type,
          sender,
          raw: envelope,
        });
      }
    }
    this.wake();
  }

  private onRpc(decoded: unknown): void {
    for (const item of Array.isArray(decoded) ? decoded : [decoded]) {
      const frame = item as { method?: string; params?: PushRpcMessage; id?: number; result?: unknown };
      if (frame.method === 'incoming.message' && frame.params) {
        const { mid, body } = frame.params;
        const sender = readPushSender(frame.params.sender);
        this.received.push({
          mid,
          moduleId: body.module_id,
          command: body.command,
          params: body.params,
          senderType: sender.type,
          sender,
          raw: frame,
        });
        this.socket.send(`mack:${mid}`);
      } else if (typeof frame.id === 'number') {
        this.rpcAnswers.get(frame.id)?.(frame as { result?: unknown; error?: unknown });
        this.rpcAnswers.delete(frame.id);
      }
    }
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
