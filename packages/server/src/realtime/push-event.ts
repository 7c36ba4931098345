import type { RealtimeCommand } from '@portaldesk/protocol';
import type { Queryable } from '../storage/database.ts';

/** A realtime command as Bitrix24 "push and pull" carries it in `text` (declared in protocol), and who published it. */
export interface PushEvent extends RealtimeCommand {
  /** Set only for what another client published over its socket; clients then see sender type 1. */
  sender?: { type: 'client'; userId: number };
}

/** Events recorded in a transaction, to be announced once that transaction has committed. */
export interface RecordedEvents {
  portalId: number;
  /** Per user, the sequence number the event got. */
  entries: { userId: number; seq: number; event: PushEvent }[];
}

/**
 * How features hand events to the realtime layer without knowing about sockets or buses:
 *
 *   const recorded = await db.transaction(async (tx) => {
 *     …write the message…
 *     return events.record(tx, portalId, recipientIds, event);
 *   });
 *   events.announce(recorded);   // only after commit
 *
 * `record` gives each recipient the next number of their own strictly increasing sequence, in
 * the same transaction as the change, so a client that resumes from its last number gets every
 * event exactly once. `announce` pushes to connected clients (on every server process).
 * `pushTransient` is for what is never replayed (typing, presence).
 */
export interface EventPublisher {
  record(tx: Queryable, portalId: number, userIds: readonly number[], event: PushEvent): Promise<RecordedEvents>;
  announce(recorded: RecordedEvents): void;
  pushTransient(portalId: number, userIds: readonly number[], event: PushEvent): void;
}
