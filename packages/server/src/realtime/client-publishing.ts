import { z } from 'zod';
import type { LeakyBucketLimiter, LeakyBucketSettings } from '../rest/rate-limit/leaky-bucket.ts';
import type { Database } from '../storage/database.ts';
import { activePortalUsers, UserIdParam } from './active-portal-users.ts';
import type { EventLog } from './event-log.ts';
import type { PullConnection } from './pull-connection.ts';

/** A client may publish in bursts of this many, refilled at this many a second (per user, on every process). */
export const DEFAULT_PUBLISH_LIMIT: LeakyBucketSettings = { burst: 20, drainPerSecond: 5 };

/** What one publication may weigh (its `body` as JSON): a typing notice or an app's small event, not a file. */
export const MAX_PUBLISH_BODY_BYTES = 8 * 1024;

/** Recipients one publication may name. */
const MAX_PUBLISH_RECIPIENTS = 100;

export const PublishSchema = z.object({
  userList: z.array(UserIdParam).min(1).max(MAX_PUBLISH_RECIPIENTS),
  body: z.object({
    module_id: z.string().min(1).max(50),
    command: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  expiry: z.number().optional(),
});
export type Publication = z.output<typeof PublishSchema>;

export type PublishRefusal = 'rate_limited' | 'too_large';

export class PublishRefused extends Error {
  constructor(readonly code: PublishRefusal) {
    super(code === 'rate_limited' ? 'too many publications' : 'publication too large');
  }
}

export interface ClientPublishingDependencies {
  db: Database;
  events: EventLog;
  /** Shared through Redis when there is one, so several processes do not grant several times the rate. */
  limiter: LeakyBucketLimiter;
}

/**
 * What a user's client publishes over its socket (JSON-RPC `publish`): it reaches only active
 * users of the publisher's own portal (others are dropped, as if they did not exist), is limited
 * in rate and size, and is marked as the publisher's, never the server's, so that the receiving
 * clients never take it for a message, notification, edit or read.
 */
export class ClientPublishing {
  constructor(private readonly deps: ClientPublishingDependencies) {}

  async publish(connection: PullConnection, publication: Publication): Promise<void> {
    if (Buffer.byteLength(JSON.stringify(publication.body)) > MAX_PUBLISH_BODY_BYTES) {
      throw new PublishRefused('too_large');
    }
    if (!(await this.deps.limiter.take(`${connection.portalId}:${connection.userId}`))) {
      throw new PublishRefused('rate_limited');
    }
    const recipients = await activePortalUsers(this.deps.db, connection.portalId, publication.userList);
    this.deps.events.pushTransient(connection.portalId, [...recipients], {
      moduleId: publication.body.module_id,
      command: publication.body.command,
      params: publication.body.params,
      sender: { type: 'client', userId: connection.userId },
    });
  }
}
