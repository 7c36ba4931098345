import type { EventLog } from '../../realtime/event-log.ts';
import type { Database } from '../../storage/database.ts';
import { ConcurrentRepeatedSend, type MessagePoster, type MessageToPost, type PostOutcome } from './message-poster.ts';

export interface GroupCommitOptions {
  /** The most messages one transaction writes. Past ~50 a statement costs more per message, not less. */
  maxBatch: number;
  /** Transactions writing at once, each on a connection of the pool; a sync each. */
  maxConcurrent: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 32, maxConcurrent: 4 };

interface Pending {
  input: MessageToPost;
  resolve: (outcome: PostOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for sends. A send that arrives while a transaction is writing waits, and every
 * send waiting when it ends goes into the next transaction together, written by one set-based
 * statement per table. Each send is acknowledged only after its transaction commits, and its
 * events are announced in commit order. When no one else is sending, a send goes at once alone.
 *
 * A transaction holds at most one message per chat (a chat's messages stay in arrival order, each
 * in a later transaction) and one send per author's uuid. When a shared transaction fails, each of
 * its sends is tried again alone, so one bad send cannot fail the others.
 */
export class MessageGroupCommit {
  private queue: Pending[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly db: Database,
    private readonly poster: MessagePoster,
    private readonly events: EventLog,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Posts `input` and resolves once it is committed and its events announced. */
  post(input: MessageToPost): Promise<PostOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.scheduleBatches();
    });
  }

  /**
   * Starts batches once the event loop has taken in what has arrived: the sends of requests that
   * came in together then share a transaction instead of the first going alone.
   */
  private scheduleBatches(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running++;
      void this.commit(batch).finally(() => {
        this.running--;
        this.scheduleBatches();
      });
    }
  }

  /** The oldest waiting sends, at most one per chat and per author's uuid; the rest wait their turn. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const waiting: Pending[] = [];
    const chats = new Set<number>();
    const uuids = new Set<string>();
    for (const pending of this.queue) {
      const { chat, authorId, uuid } = pending.input;
      const uuidKey = uuid === null ? null : `${authorId}:${uuid}`;
      if (batch.length >= this.options.maxBatch || chats.has(chat.id) || (uuidKey !== null && uuids.has(uuidKey))) {
        waiting.push(pending);
        continue;
      }
      batch.push(pending);
      chats.add(chat.id);
      if (uuidKey !== null) uuids.add(uuidKey);
    }
    this.queue = waiting;
    return batch;
  }

  private async commit(batch: Pending[], retried = false): Promise<void> {
    let outcomes: PostOutcome[];
    try {
      outcomes = await this.db.transaction((tx) =>
        this.poster.postMany(
          tx,
          batch.map((p) => p.input),
          tx,
        ),
      );
    } catch (error) {
      // One bad send must not fail the others it shared a transaction with: each goes again alone.
      if (batch.length > 1) {
        for (const pending of batch) await this.commit([pending]);
        return;
      }
      // It lost a race to another send of the same uuid: the retry finds the winner, `duplicate`.
      if (error instanceof ConcurrentRepeatedSend && !retried) return this.commit(batch, true);
      batch[0]?.reject(error);
      return;
    }
    this.settle(batch, outcomes);
  }

  /** Announces what was committed, in order, then answers the senders. */
  private settle(batch: Pending[], outcomes: PostOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.kind === 'posted') for (const recorded of outcome.recorded) this.events.announce(recorded);
    }
    // postMany answers every input, in order.
    batch.forEach((pending, index) => {
      pending.resolve(outcomes[index] as PostOutcome);
    });
  }
}
