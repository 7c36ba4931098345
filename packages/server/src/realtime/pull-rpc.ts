import { z } from 'zod';
import type { Database } from '../storage/database.ts';
import { activePortalUsers, UserIdParam } from './active-portal-users.ts';
import { type ClientPublishing, PublishRefused, PublishSchema } from './client-publishing.ts';
import type { PresenceStore } from './presence-store.ts';
import type { PullConnection } from './pull-connection.ts';
import type { PushHub } from './push-hub.ts';

/** What a client may call over its socket in JSON-RPC mode. */
export interface PullRpcDependencies {
  db: Database;
  publishing: ClientPublishing;
  hub: PushHub;
  presence: PresenceStore;
  now: () => Date;
}

const RpcError = {
  parse: { code: -32700, message: 'Parse error' },
  invalidRequest: { code: -32600, message: 'Invalid Request' },
  methodNotFound: { code: -32601, message: 'Method not found' },
  invalidParams: { code: -32602, message: 'Invalid params' },
  internal: { code: -32603, message: 'Internal error' },
  rateLimited: { code: -32000, message: 'Too many requests' },
  tooLarge: { code: -32001, message: 'Message too large' },
} as const;

type RpcErrorValue = (typeof RpcError)[keyof typeof RpcError];

class RpcFailure extends Error {
  constructor(readonly error: RpcErrorValue) {
    super(error.message);
  }
}

const RequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().max(64),
  params: z.record(z.string(), z.unknown()).optional(),
  id: z.union([z.number(), z.string().max(64)]).optional(),
});

const UserListSchema = z.object({ userList: z.array(UserIdParam).max(500) });
const UserIdSchema = z.object({ userId: UserIdParam });

/**
 * Answers the JSON-RPC calls of the official client: `ping`, `listChannels`, `getUsersLastSeen`,
 * `subscribeStatusChange`, `unsubscribeStatusChange`, `publish`. Every user id a call names is
 * checked against the caller's portal.
 */
export class PullRpc {
  constructor(private readonly deps: PullRpcDependencies) {}

  /** Handles one text frame from the client; answers through the connection. */
  async handleText(connection: PullConnection, text: string): Promise<void> {
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      connection.sendRaw(JSON.stringify({ jsonrpc: '2.0', error: RpcError.parse, id: null }));
      return;
    }
    if (Array.isArray(decoded)) {
      const answers = (await Promise.all(decoded.slice(0, 50).map((r) => this.answer(connection, r)))).filter(
        (a) => a !== null,
      );
      if (answers.length > 0) connection.sendRaw(JSON.stringify(answers));
      return;
    }
    const answer = await this.answer(connection, decoded);
    if (answer) connection.sendRaw(JSON.stringify(answer));
  }

  private async answer(connection: PullConnection, raw: unknown): Promise<object | null> {
    const request = RequestSchema.safeParse(raw);
    if (!request.success) return { jsonrpc: '2.0', error: RpcError.invalidRequest, id: null };
    const { method, params = {}, id } = request.data;
    try {
      const result = await this.call(connection, method, params);
      return id === undefined ? null : { jsonrpc: '2.0', result, id };
    } catch (error) {
      const rpcError = error instanceof RpcFailure ? error.error : RpcError.internal;
      return id === undefined ? null : { jsonrpc: '2.0', error: rpcError, id };
    }
  }

  private async call(connection: PullConnection, method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'ping':
        return 'pong';
      case 'listChannels':
        return {
          channels: [
            { id: connection.grant.privateChannel.key, type: 'private' },
            ...(connection.grant.sharedChannel ? [{ id: connection.grant.sharedChannel.key, type: 'shared' }] : []),
          ],
        };
      case 'getUsersLastSeen':
        return this.usersLastSeen(connection, parse(UserListSchema, params).userList);
      case 'subscribeStatusChange': {
        const { userId } = parse(UserIdSchema, params);
        const known = await activePortalUsers(this.deps.db, connection.portalId, [userId]);
        if (!known.has(userId)) throw new RpcFailure(RpcError.invalidParams);
        this.deps.hub.watchStatus(connection, userId);
        return {};
      }
      case 'unsubscribeStatusChange':
        this.deps.hub.unwatchStatus(connection, parse(UserIdSchema, params).userId);
        return {};
      case 'publish':
        return this.publish(connection, params);
      default:
        throw new RpcFailure(RpcError.methodNotFound);
    }
  }

  /** Seconds since each user was last seen; 0 when online now; users never seen are left out. */
  private async usersLastSeen(connection: PullConnection, userIds: number[]): Promise<Record<string, number>> {
    const presence = await this.deps.presence.lastSeen(connection.portalId, userIds);
    const now = this.deps.now().getTime();
    const result: Record<string, number> = {};
    for (const [userId, p] of presence) {
      if (!p.lastSeenAt) continue;
      result[userId] = p.online ? 0 : Math.max(0, Math.floor((now - p.lastSeenAt.getTime()) / 1000));
    }
    return result;
  }

  private async publish(connection: PullConnection, params: Record<string, unknown>): Promise<boolean> {
    try {
      await this.deps.publishing.publish(connection, parse(PublishSchema, params));
    } catch (error) {
      if (!(error instanceof PublishRefused)) throw error;
      throw new RpcFailure(error.code === 'rate_limited' ? RpcError.rateLimited : RpcError.tooLarge);
    }
    return true;
  }
}

function parse<T extends z.ZodType>(schema: T, params: unknown): z.output<T> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new RpcFailure(RpcError.invalidParams);
  return parsed.data;
}
