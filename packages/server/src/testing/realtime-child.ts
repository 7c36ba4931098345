/**
 * A server process for multi-process realtime tests and benchmarks: it serves like the real
 * server (PostgreSQL from DATABASE_URL in schema REALTIME_SCHEMA, Redis from REDIS_URL) and takes
 * orders over IPC from the parent, which plays the part of the users. Events are written through
 * the process's own EventLog, exactly as a feature does.
 */

import { startServer } from '../app/start-server.ts';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../http/logger.ts';
import type { AuthContext } from '../rest/auth-context.ts';
import type { ChildOrder, ChildReport } from './realtime-child-orders.ts';

const config = loadConfig({ ...process.env, PORT: process.env.PORT ?? '0', PORTALDESK_DEMO: 'false' });

const server = await startServer({
  config,
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  schema: process.env.REALTIME_SCHEMA,
});
const { db, events, portals, users, realtime, sessions, pullPublishLimiter } = server.context;
const send = (report: ChildReport) => process.send?.(report);

async function publish(portalId: number, userIds: number[], n: number, params: Record<string, unknown> = { n }) {
  const recorded = await db.transaction((tx) =>
    events.record(tx, portalId, userIds, { moduleId: 'im', command: 'message', params }),
  );
  events.announce(recorded);
  return recorded.entries[0]?.seq ?? 0;
}

process.on('message', async (order: ChildOrder) => {
  switch (order.type) {
    case 'config': {
      const portal = await portals.findById(order.portalId);
      if (!portal) throw new Error('no such portal');
      const auth: AuthContext = {
        portal,
        userId: order.userId,
        via: 'session',
        scopes: 'all',
        mayChangeState: true,
        credentialId: order.credentialId,
      };
      send({ type: 'answer', id: order.id, value: await realtime.config(auth, 'private') });
      return;
    }
    case 'publish':
      if (order.stored === false) {
        events.pushTransient(order.portalId, order.userIds, {
          moduleId: 'im',
          command: 'message',
          params: order.params ?? { n: order.n },
        });
        send({ type: 'answer', id: order.id, value: 0 });
        return;
      }
      send({
        type: 'answer',
        id: order.id,
        value: await publish(order.portalId, order.userIds, order.n, order.params),
      });
      return;
    case 'setup': {
      const portal = await portals.create({ domain: order.domain, name: order.domain });
      const ids: number[] = [];
      for (let i = 0; i < order.users; i++) {
        ids.push((await users.create(portal.id, { firstName: `User${i}`, lastName: 'Bench' })).id);
      }
      send({ type: 'answer', id: order.id, value: { portalId: portal.id, userIds: ids } });
      return;
    }
    case 'memory': {
      for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed, external } = process.memoryUsage();
      const { user, system } = process.cpuUsage();
      send({
        type: 'answer',
        id: order.id,
        value: { rss, heapUsed, external, cpuMicros: user + system, connections: realtime.hub.connectionCount },
      });
      return;
    }
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      send({ type: 'answer', id: order.id, value: user + system });
      return;
    }
    case 'open-session': {
      const opened = await sessions.open({
        portalId: order.portalId,
        userId: order.userId,
        appPasswordId: null,
        ip: null,
        userAgent: null,
      });
      send({ type: 'answer', id: order.id, value: { id: opened.id, token: opened.token, sessid: opened.sessid } });
      return;
    }
    case 'sign-out':
      send({
        type: 'answer',
        id: order.id,
        value: await sessions.revoke(order.portalId, order.userId, order.sessionId),
      });
      return;
    case 'revoke':
      await realtime.revokeCredential(order.credentialId);
      send({ type: 'answer', id: order.id, value: true });
      return;
    case 'publish-limit':
      Object.assign(pullPublishLimiter.settings, { burst: order.burst, drainPerSecond: order.drainPerSecond });
      send({ type: 'answer', id: order.id, value: true });
      return;
  }
});

process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
// The parent (a test or a benchmark) died without stopping us: go too, rather than linger as an
// orphan that holds its port and takes CPU from whatever runs next.
process.on('disconnect', () => process.exit(0));
send({ type: 'listening', port: server.port });
