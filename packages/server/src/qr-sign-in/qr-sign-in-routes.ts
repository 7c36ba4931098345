import {
  Base64Url32Schema,
  QR_SIGN_IN_BASE_PATH,
  QrAttemptIdSchema,
  QrConfirmRequestSchema,
  QrCreateRequestSchema,
  type QrDesktopEvent,
  QrRedeemRequestSchema,
  SESSION_COOKIE,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Portal } from '../portals/portal.ts';
import { RestError } from '../rest/rest-error.ts';
import type { QrAttemptSignals } from './qr-attempt-signals.ts';
import type { QrClient } from './qr-sign-in-dependencies.ts';
import { noSuchAttempt } from './qr-sign-in-errors.ts';
import type { QrSignInService } from './qr-sign-in-service.ts';

/** How often an open event stream re-reads its attempt, for changes made by other server processes and for expiry. */
const STREAM_RECHECK_MS = 1_000;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const STREAM_HEARTBEAT_MS = 15_000;
/** One desktop needs one stream (two while it reconnects); more is someone else, or a leak. */
const MAX_STREAMS_PER_ATTEMPT = 3;
const FINAL: ReadonlySet<QrDesktopEvent['state']> = new Set(['redeemed', 'denied', 'expired', 'failed']);

interface Context {
  qrSignIn: QrSignInService;
  qrSignInSignals: QrAttemptSignals;
}
type AttemptRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * The desktop's side of QR sign-in, `/desktop_app/qr/…` (JSON in and out, errors as
 * `{error, error_description}`). Everything after creation is authenticated by the desktop's
 * secret in `Authorization: Bearer …`; a wrong secret and an unknown attempt answer alike.
 */
export async function qrSignInRoutes(app: FastifyInstance, context: Context): Promise<void> {
  const { qrSignIn } = context;
  const base = QR_SIGN_IN_BASE_PATH;
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const finish of [...streams]) finish();
  });

  app.post(base, async (request, reply) => {
    const portal = portalOf(request, reply);
    refuseCrossSite(request);
    const input = parse(QrCreateRequestSchema, request.body);
    return qrSignIn.desktop.create(portal, originOf(request, portal), input, clientOf(request));
  });

  app.get(`${base}/:id`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    return qrSignIn.desktop.desktopView(portal, id, secret);
  });

  app.post(`${base}/:id/rotate`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    return qrSignIn.desktop.rotate(portal, originOf(request, portal), id, secret, clientOf(request));
  });

  app.post(`${base}/:id/confirm`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    const { checkCode } = parse(QrConfirmRequestSchema, request.body);
    return qrSignIn.desktop.confirm(portal, id, secret, checkCode, clientOf(request));
  });

  app.post(`${base}/:id/cancel`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    await qrSignIn.desktop.cancel(portal, id, secret, clientOf(request));
    return { cancelled: true };
  });

  app.post(`${base}/:id/redeem`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    const { redeemCode } = parse(QrRedeemRequestSchema, request.body);
    const origin = originOf(request, portal);
    const { body, session } = await qrSignIn.desktop.redeem(portal, origin, id, secret, redeemCode, clientOf(request));
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
    });
    return body;
  });

  const openPerAttempt = new Map<string, number>();
  app.get(`${base}/:id/events`, async (request: AttemptRequest, reply) => {
    const { portal, id, secret } = desktopCall(request, reply);
    const first = await qrSignIn.desktop.follow(portal, id, secret, clientOf(request));
    const open = openPerAttempt.get(id) ?? 0;
    if (open >= MAX_STREAMS_PER_ATTEMPT) throw RestError.tooManyRequests(STREAM_HEARTBEAT_MS / 1000);
    openPerAttempt.set(id, open + 1);
    streamEvents(request, reply, first, {
      read: () => qrSignIn.desktop.desktopView(portal, id, secret),
      subscribe: (listener) => context.qrSignInSignals.subscribe(id, listener),
      streams,
      closed: () => {
        const left = (openPerAttempt.get(id) ?? 1) - 1;
        if (left > 0) openPerAttempt.set(id, left);
        else openPerAttempt.delete(id);
      },
    });
  });
}

interface StreamSource {
  read(): Promise<QrDesktopEvent>;
  subscribe(listener: () => void): () => void;
  streams: Set<() => void>;
  closed(): void;
}

/** Server-sent events: a `state` event with the whole state whenever it changes; ends after a final one. */
function streamEvents(request: FastifyRequest, reply: FastifyReply, first: QrDesktopEvent, source: StreamSource) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  let last = '';
  let open = true;
  let reading = false;
  let readAgain = false;
  const send = (event: QrDesktopEvent) => {
    const data = JSON.stringify(event);
    if (!open || data === last) return;
    last = data;
    res.write(`event: state\ndata: ${data}\n\n`);
    if (FINAL.has(event.state)) finish();
  };
  const refresh = async () => {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    try {
      do {
        readAgain = false;
        send(await source.read());
      } while (readAgain && open);
    } catch (error) {
      request.log.warn({ err: error }, 'qr sign-in event stream stopped');
      finish();
    } finally {
      reading = false;
    }
  };
  const unsubscribe = source.subscribe(() => void refresh());
  const recheck = setInterval(() => void refresh(), STREAM_RECHECK_MS);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), STREAM_HEARTBEAT_MS);
  function finish() {
    if (!open) return;
    open = false;
    clearInterval(recheck);
    clearInterval(heartbeat);
    unsubscribe();
    source.streams.delete(finish);
    source.closed();
    res.end();
  }
  source.streams.add(finish);
  request.raw.on('close', finish);
  send(first);
}

function desktopCall(request: AttemptRequest, reply: FastifyReply): { portal: Portal; id: string; secret: string } {
  const portal = portalOf(request, reply);
  refuseCrossSite(request);
  const id = QrAttemptIdSchema.safeParse(request.params.id);
  if (!id.success) throw noSuchAttempt();
  const header = request.headers.authorization ?? '';
  const secret = Base64Url32Schema.safeParse(header.replace(/^Bearer\s+/i, ''));
  if (!/^Bearer\s/i.test(header) || !secret.success) {
    throw new RestError('NO_AUTH_FOUND', 'Send the desktop secret as Authorization: Bearer <secret>');
  }
  return { portal, id: id.data, secret: secret.data };
}

function portalOf(request: FastifyRequest, reply: FastifyReply): Portal {
  reply.header('cache-control', 'no-store');
  if (!request.portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
  return request.portal;
}

/** A page of another site must not drive a visitor's browser through these calls; the desktop sends no `Origin`. */
function refuseCrossSite(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | null = null;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {}
  if (host !== (request.headers.host ?? '').toLowerCase()) {
    throw new RestError('ACCESS_DENIED', 'Cross-site requests are refused');
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new RestError('INVALID_ARG_VALUE', `${where}${issue?.message ?? 'invalid request'}`);
}

function clientOf(request: FastifyRequest): QrClient {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 255) : null };
}

/** The portal's own origin (its domain, the port the request came to), never a name the client made up. */
function originOf(request: FastifyRequest, portal: Portal): string {
  const port = (request.headers.host ?? '').match(/:(\d{1,5})$/)?.[1];
  return `${request.protocol}://${portal.domain}${port ? `:${port}` : ''}`;
}
