import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PULL_DESKTOP_CLIENT_PARAM, PullControlCommand, type ResyncParams } from '@portaldesk/protocol';
import type { Logger } from 'pino';
import { type RawData, WebSocketServer } from 'ws';
import type { Clock } from '../clock/clock.ts';
import type { PortalResolver } from '../portals/portal-resolver.ts';
import { CloseCode } from './close-codes.ts';
import type { EventLog } from './event-log.ts';
import { type ChannelGrant, ChannelRefused, type PullChannels } from './pull-channels.ts';
import { PullConnection } from './pull-connection.ts';
import type { PullRpc } from './pull-rpc.ts';
import type { PushEvent } from './push-event.ts';
import { type FrameFormat, parseMid, storedMid } from './push-frames.ts';
import type { PushHub } from './push-hub.ts';

/** Where clients connect; `pull.config.get` advertises it. */
export const PULL_WEBSOCKET_PATH = '/bitrix/subws/';

/** More sockets than this for one user on one process are refused (a runaway or hostile client). */
const MAX_SOCKETS_PER_USER = 50;

/** Frames from clients are small (acks, pings, RPC calls). */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

export interface PullWebSocketDependencies {
  portalResolver: PortalResolver;
  channels: () => Promise<PullChannels>;
  events: EventLog;
  hub: PushHub;
  rpc: PullRpc;
  clock: Clock;
  logger: Logger;
  serverName: string;
}

/** The connect parameters of the official client and the documented custom client. */
interface ConnectParams {
  channelIds: string | null;
  token: string | null;
  mid: string | null;
  format: FrameFormat;
  isDesktop: boolean;
}

function readParams(url: URL): ConnectParams {
  const q = url.searchParams;
  const format: FrameFormat =
    q.get('jsonRpc') === 'true' ? 'json-rpc' : q.get('format')?.toLowerCase() === 'json' ? 'json' : 'text';
  return {
    channelIds: q.get('CHANNEL_ID'),
    token: q.get('token'),
    mid: q.get('mid'),
    format,
    isDesktop: q.get(PULL_DESKTOP_CLIENT_PARAM.name) === PULL_DESKTOP_CLIENT_PARAM.value,
  };
}

/**
 * The "push and pull" WebSocket endpoint on the same HTTP(S) server as the REST API. A client
 * proves its channel with `CHANNEL_ID=<private>/<shared>` or `token=<jwt>`; a refused channel is
 * closed with 4010, on which the official client fetches a new config.
 */
export function attachPullWebSocket(server: Server, deps: PullWebSocketDependencies): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!isPullPath(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    upgrade(deps, wss, request, socket, head, readParams(url)).catch((error) => {
      deps.logger.error({ err: error }, 'realtime connection failed');
      socket.destroy();
    });
  });
  return wss;
}

function isPullPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '/') === PULL_WEBSOCKET_PATH || `${pathname}/` === PULL_WEBSOCKET_PATH;
}

/**
 * Checks the channel and finds the resume point before the handshake completes, so that once
 * the client sees the socket open, nothing committed from then on can pass it by.
 */
async function upgrade(
  deps: PullWebSocketDependencies,
  wss: WebSocketServer,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  params: ConnectParams,
): Promise<void> {
  const grant = await checkChannel(deps, request, params);
  const resume = grant ? await resumePoint(deps.events, grant.userId, parseMid(params.mid), params.mid) : null;
  if (socket.destroyed) return;
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.on('error', () => ws.terminate());
    if (!grant || !resume) {
      ws.close(CloseCode.wrongChannel, 'wrong channel');
      return;
    }
    if (deps.hub.socketsOf(grant.userId) >= MAX_SOCKETS_PER_USER) {
      ws.close(CloseCode.tryAgainLater, 'too many connections');
      return;
    }
    const connection = new PullConnection({
      socket: ws,
      grant,
      format: params.format,
      source: deps.events,
      serverName: deps.serverName,
      isDesktop: params.isDesktop,
      now: () => deps.clock.now(),
      onError: (error) => deps.logger.warn({ err: error }, 'realtime replay failed'),
    });
    ws.on('message', (data) => onClientFrame(deps, connection, data));
    ws.on('pong', () => {
      connection.lastHeardAt = Date.now();
    });
    ws.on('close', () => deps.hub.remove(connection));
    deps.hub.add(connection);
    // Events committed between finding the resume point and registering are read from the log.
    deps.events
      .lastSeq(grant.userId)
      .then((latest) => connection.begin(resume.resumeAfter, Math.max(latest, resume.knownLast), resume.notice))
      .catch((error) => {
        deps.logger.error({ err: error }, 'realtime resume failed');
        connection.close(1011, 'internal error');
      });
  });
}

async function checkChannel(
  deps: PullWebSocketDependencies,
  request: IncomingMessage,
  params: ConnectParams,
): Promise<ChannelGrant | null> {
  const portal = await deps.portalResolver.resolve(request.headers.host);
  if (!portal) return null;
  const channels = await deps.channels();
  try {
    if (params.token) return await channels.grantForToken(portal.id, params.token);
    if (params.channelIds) return await channels.grantForChannelIds(portal.id, params.channelIds);
    return null;
  } catch (error) {
    if (error instanceof ChannelRefused) return null;
    throw error;
  }
}

/**
 * Where to start: after the client's `mid` when everything after it is still kept; otherwise
 * (no `mid`, one from elsewhere, or one older than the kept history) at the user's last number,
 * with a resync notice when the client had asked for history that cannot be given.
 */
export async function resumePoint(
  events: EventLog,
  userId: number,
  resumeSeq: number | null,
  rawMid: string | null,
): Promise<{ resumeAfter: number; knownLast: number; notice?: PushEvent }> {
  const knownLast = await events.lastSeq(userId);
  if (rawMid === null || rawMid === '') return { resumeAfter: knownLast, knownLast };
  const resync = (reason: ResyncParams['reason']) => {
    const params: ResyncParams = { reason, mid: storedMid(knownLast) };
    return {
      resumeAfter: knownLast,
      knownLast,
      notice: { moduleId: 'pull', command: PullControlCommand.resync, params: { ...params } },
    };
  };
  if (resumeSeq === null || resumeSeq > knownLast) return resync('unknown_mid');
  if (resumeSeq === knownLast) return { resumeAfter: knownLast, knownLast };
  const oldest = await events.oldestKeptSeq(userId);
  if (oldest === null || oldest > resumeSeq + 1) return resync('history_pruned');
  return { resumeAfter: resumeSeq, knownLast };
}

function onClientFrame(deps: PullWebSocketDependencies, connection: PullConnection, data: RawData): void {
  connection.lastHeardAt = Date.now();
  const text = data.toString();
  if (text === 'pong') return;
  if (text === 'ping') {
    connection.sendRaw('pong');
    return;
  }
  if (text.startsWith('mack:')) {
    connection.lastAckedMid = text.slice(5, 40);
    return;
  }
  if (connection.format !== 'json-rpc') return;
  deps.rpc.handleText(connection, text).catch((error) => deps.logger.warn({ err: error }, 'realtime rpc failed'));
}
