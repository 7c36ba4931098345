import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionRevocation } from '../auth/sessions/session-revocations.ts';
import { openRedis } from '../redis/open-redis.ts';
import type { Delivery } from './event-log.ts';

/** What one server process tells the others. */
export type BusMessage =
  | { kind: 'delivery'; delivery: Delivery }
  /** Stored events named only by their numbers: the receiving processes read them from the log. */
  | { kind: 'announced'; portalId: number; entries: { userId: number; seq: number }[] }
  | { kind: 'presence'; portalId: number; userId: number; online: boolean }
  | { kind: 'revoke'; credentialRef: string }
  /** A session ended on the sending process; the others drop it from their caches and close its sockets. */
  | { kind: 'session-revoked'; revocation: SessionRevocation };

/**
 * Carries realtime traffic between the server processes of one deployment. A message lost on the
 * way costs no event: stored events are read from the database by the connection that sees a gap,
 * and by every client that resumes.
 */
export interface RealtimeBus {
  /** Sends to every other process (never back to this one). */
  publish(message: BusMessage): void;
  onMessage(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

/** One process: nothing to carry. */
export class LocalBus implements RealtimeBus {
  publish(): void {}
  onMessage(): void {}
  async close(): Promise<void> {}
}

const CHANNEL = 'portaldesk:realtime';

/**
 * Redis pub/sub: every process of a deployment subscribes to one channel (named within the
 * deployment's namespace) and skips its own messages.
 */
export class RedisBus implements RealtimeBus {
  private readonly instanceId = randomBytes(8).toString('hex');
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers: ((message: BusMessage) => void)[] = [];
  private queued: BusMessage[] = [];
  readonly ready: Promise<void>;

  private readonly channel: string;

  constructor(url: string, logger: Logger, namespace?: string) {
    this.channel = namespace ? `${namespace}:${CHANNEL}` : CHANNEL;
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false };
    this.publisher = openRedis(url, options);
    this.subscriber = openRedis(url, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => logger.warn({ err: error }, 'redis bus error'));
    }
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    this.ready = this.subscriber.subscribe(this.channel).then(() => undefined);
  }

  /**
   * Queued, and published together with everything else published in the same turn of the
   * event loop: a group commit announces all its messages at once, and one PUBLISH (one write
   * here, one fan-out in Redis, one read in each other process) carries them all, in order.
   */
  publish(message: BusMessage): void {
    this.queued.push(message);
    if (this.queued.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const messages = this.queued;
    this.queued = [];
    if (messages.length === 0) return;
    this.publisher.publish(this.channel, JSON.stringify({ from: this.instanceId, messages })).catch(() => {
      // Logged by the error listener; resume from the database covers the loss.
    });
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
  }

  private receive(raw: string): void {
    let parsed: { from: string; messages: BusMessage[] };
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    if (parsed.from === this.instanceId || !Array.isArray(parsed.messages)) return;
    for (const message of parsed.messages) for (const handler of this.handlers) handler(message);
  }

  async close(): Promise<void> {
    this.flush();
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }
}
