import type { Database, Queryable } from '../storage/database.ts';
import { mergeEventParams } from './event-params-merge.ts';
import type { EventPublisher, PushEvent, RecordedEvents } from './push-event.ts';

/** An event as stored for one user, with its place in that user's sequence. */
export interface UserEvent {
  userId: number;
  portalId: number;
  seq: number;
  event: PushEvent;
  createdAt: Date;
}

/** One command whose params are mostly shared by its recipients (see EventLog.recordShared). */
export interface SharedEvent {
  portalId: number;
  moduleId: string;
  command: string;
  shared: Record<string, unknown>;
  perUser: ReadonlyMap<number, Record<string, unknown>>;
}

/** Where a delivery was made: here, or in another server process whose bus carried it here. */
export type DeliveryOrigin = 'this process' | 'bus';

export type DeliveryListener = (delivery: Delivery, origin: DeliveryOrigin) => void;

/** What reaches connected clients: stored events carry `seq`; transient ones do not. */
export type Delivery =
  | { kind: 'recorded'; recorded: RecordedEvents }
  | { kind: 'transient'; portalId: number; userIds: readonly number[]; event: PushEvent };

interface EventRow {
  user_id: number;
  portal_id: number;
  seq: number;
  module_id: string;
  command: string;
  params: Record<string, unknown>;
  shared: Record<string, unknown> | null;
  created_at: Date;
}

/**
 * The durable, per-user event log and the in-process hand-off to whatever delivers events
 * (the WebSocket hub here, and a cross-process bus when there are several servers).
 */
export class EventLog implements EventPublisher {
  private readonly listeners = new Set<DeliveryListener>();

  constructor(private readonly db: Database) {}

  async record(tx: Queryable, portalId: number, userIds: readonly number[], event: PushEvent): Promise<RecordedEvents> {
    // Sorted and unique, so that concurrent transactions lock sequence rows in the same order.
    const recipients = [...new Set(userIds)].sort((a, b) => a - b);
    if (recipients.length === 0) return { portalId, entries: [] };
    const rows = await tx.query<{ user_id: number; seq: number }>(
      `WITH next AS (
         INSERT INTO user_event_sequences AS s (user_id, last_seq)
         SELECT id, 1 FROM unnest($1::int[]) AS id
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
         RETURNING user_id, last_seq
       )
       INSERT INTO user_events (user_id, seq, portal_id, module_id, command, params)
       SELECT user_id, last_seq, $2, $3, $4, $5::jsonb FROM next
       RETURNING user_id, seq`,
      [recipients, portalId, event.moduleId, event.command, JSON.stringify(event.params)],
    );
    return { portalId, entries: rows.map((r) => ({ userId: r.user_id, seq: Number(r.seq), event })) };
  }

  /**
   * Records one command with params of its own for each recipient (a counter that differs per
   * user), in one statement. Each user appears at most once in `perUser`.
   */
  async recordEach(
    tx: Queryable,
    portalId: number,
    moduleId: string,
    command: string,
    perUser: ReadonlyMap<number, Record<string, unknown>>,
  ): Promise<RecordedEvents> {
    // Sorted, so that concurrent transactions lock sequence rows in the same order.
    const userIds = [...perUser.keys()].sort((a, b) => a - b);
    if (userIds.length === 0) return { portalId, entries: [] };
    const params = userIds.map((id) => JSON.stringify(perUser.get(id)));
    const rows = await tx.query<{ user_id: number; seq: number }>(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::text[]) AS t(user_id, params)
       ), next AS (
         INSERT INTO user_event_sequences AS s (user_id, last_seq)
         SELECT user_id, 1 FROM input ORDER BY user_id
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
         RETURNING user_id, last_seq
       )
       INSERT INTO user_events (user_id, seq, portal_id, module_id, command, params)
       SELECT next.user_id, next.last_seq, $3, $4, $5, input.params::jsonb FROM next JOIN input USING (user_id)
       RETURNING user_id, seq`,
      [userIds, params, portalId, moduleId, command],
    );
    return {
      portalId,
      entries: rows.map((r) => ({
        userId: r.user_id,
        seq: Number(r.seq),
        event: { moduleId, command, params: perUser.get(r.user_id) ?? {} },
      })),
    };
  }

  /**
   * Records one command for many recipients whose params are mostly the same (a chat message):
   * `shared` is stored once, and each recipient's row keeps only `perUser`'s part for them, laid
   * over `shared` when read (see mergeEventParams). Each user appears at most once in `perUser`.
   */
  async recordShared(
    tx: Queryable,
    portalId: number,
    moduleId: string,
    command: string,
    shared: Record<string, unknown>,
    perUser: ReadonlyMap<number, Record<string, unknown>>,
  ): Promise<RecordedEvents> {
    const [recorded] = await this.recordSharedMany(tx, [{ portalId, moduleId, command, shared, perUser }]);
    return recorded ?? { portalId, entries: [] };
  }

  /**
   * Records several shared events (the messages of one group commit) in one statement, in the
   * order given: a user who receives more than one gets consecutive numbers in that order.
   */
  async recordSharedMany(tx: Queryable, events: readonly SharedEvent[]): Promise<RecordedEvents[]> {
    const rows: { userId: number; event: number; own: string }[] = [];
    events.forEach(({ perUser }, event) => {
      for (const [userId, own] of perUser) rows.push({ userId, event, own: JSON.stringify(own) });
    });
    if (rows.length === 0) return events.map(({ portalId }) => ({ portalId, entries: [] }));
    const numbered = await tx.query<{ user_id: number; event: number; seq: number }>(
      `WITH payload AS (
         SELECT nextval('user_event_payloads_id_seq') AS id, event - 1 AS event, params::jsonb AS params
         FROM unnest($1::text[]) WITH ORDINALITY AS t(params, event)
       ), stored_payload AS (
         INSERT INTO user_event_payloads (id, params) SELECT id, params FROM payload
       ), events AS (
         SELECT * FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[])
           WITH ORDINALITY AS t(user_id, event, portal_id, module_id, command, params, ord)
       ), counts AS (
         SELECT user_id, count(*)::int AS n FROM events GROUP BY user_id
       ), next AS (
         INSERT INTO user_event_sequences AS s (user_id, last_seq)
         SELECT user_id, n FROM counts ORDER BY user_id
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
         RETURNING user_id, last_seq
       ), numbered AS (
         SELECT e.*, next.last_seq - counts.n + row_number() OVER (PARTITION BY e.user_id ORDER BY e.ord) AS seq
         FROM events e JOIN next USING (user_id) JOIN counts USING (user_id)
       ), stored AS (
         INSERT INTO user_events (user_id, seq, portal_id, module_id, command, params, payload_id)
         SELECT n.user_id, n.seq, n.portal_id, n.module_id, n.command, n.params::jsonb, payload.id
         FROM numbered n JOIN payload USING (event)
       )
       SELECT user_id, event, seq FROM numbered ORDER BY event, user_id`,
      [
        events.map((e) => JSON.stringify(e.shared)),
        rows.map((r) => r.userId),
        rows.map((r) => r.event),
        rows.map((r) => events[r.event]?.portalId),
        rows.map((r) => events[r.event]?.moduleId),
        rows.map((r) => events[r.event]?.command),
        rows.map((r) => r.own),
      ],
    );
    const recorded: RecordedEvents[] = events.map(({ portalId }) => ({ portalId, entries: [] }));
    for (const row of numbered) {
      const input = events[row.event];
      if (!input) continue;
      const params = mergeEventParams(input.shared, input.perUser.get(row.user_id) ?? {});
      recorded[row.event]?.entries.push({
        userId: row.user_id,
        seq: Number(row.seq),
        event: { moduleId: input.moduleId, command: input.command, params },
      });
    }
    return recorded;
  }

  announce(recorded: RecordedEvents): void {
    if (recorded.entries.length > 0) this.deliver({ kind: 'recorded', recorded });
  }

  pushTransient(portalId: number, userIds: readonly number[], event: PushEvent): void {
    if (userIds.length > 0) this.deliver({ kind: 'transient', portalId, userIds, event });
  }

  /** Listens to every delivery made in this process; returns the unsubscribe function. */
  onDelivery(listener: DeliveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands a delivery to local listeners; also the entry point for deliveries from other processes. */
  deliver(delivery: Delivery, origin: DeliveryOrigin = 'this process'): void {
    for (const listener of this.listeners) listener(delivery, origin);
  }

  /** The user's events after `afterSeq`, oldest first, at most `limit`. */
  async readAfter(userId: number, afterSeq: number, limit: number): Promise<UserEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT e.user_id, e.portal_id, e.seq, e.module_id, e.command, e.params, p.params AS shared, e.created_at
       FROM user_events e LEFT JOIN user_event_payloads p ON p.id = e.payload_id
       WHERE e.user_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`,
      [userId, afterSeq, limit],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      portalId: r.portal_id,
      seq: Number(r.seq),
      event: {
        moduleId: r.module_id,
        command: r.command,
        params: r.shared ? mergeEventParams(r.shared, r.params) : r.params,
      },
      createdAt: new Date(r.created_at),
    }));
  }

  /** The last number given to the user, or 0 when they have had no event yet. */
  async lastSeq(userId: number): Promise<number> {
    const [row] = await this.db.query<{ last_seq: number }>(
      'SELECT last_seq FROM user_event_sequences WHERE user_id = $1',
      [userId],
    );
    return row ? Number(row.last_seq) : 0;
  }

  /** The oldest number still kept for the user; a client that is behind it must resync. */
  async oldestKeptSeq(userId: number): Promise<number | null> {
    const [row] = await this.db.query<{ seq: number | null }>(
      'SELECT min(seq) AS seq FROM user_events WHERE user_id = $1',
      [userId],
    );
    return row?.seq == null ? null : Number(row.seq);
  }

  /** Forgets events older than `before`; resuming past them then requires a resync. */
  async prune(before: Date): Promise<number> {
    const rows = await this.db.query('DELETE FROM user_events WHERE created_at < $1 RETURNING 1', [before]);
    // A payload is as old as the events that share it (one statement wrote them all).
    await this.db.query('DELETE FROM user_event_payloads WHERE created_at < $1', [before]);
    return rows.length;
  }
}
