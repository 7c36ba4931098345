import {
  DESKTOP_LOGIN_PATH,
  DEVICE_COOKIE,
  type DesktopLoginFailure,
  DesktopLoginFormSchema,
  SESSION_COOKIE,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from '../../rest/rest-error.ts';
import type { DesktopLoginService } from './desktop-login-service.ts';

/** A device cookie outlives sessions: it marks a client that has signed in before. */
const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** What the sign-in forms answer to a form they cannot read, in their own shape. */
export const SIGN_IN_BAD_REQUEST: DesktopLoginFailure = { success: false, code: 'bad_request' };

/** `POST /desktop_app/login/`: Bitrix24's desktop password sign-in. */
interface Dependencies {
  desktopLogin: DesktopLoginService;
}

export async function desktopLoginRoutes(app: FastifyInstance, context: Dependencies): Promise<void> {
  app.post(DESKTOP_LOGIN_PATH, { config: { badInputAnswer: SIGN_IN_BAD_REQUEST } }, (request, reply) =>
    handleDesktopLogin(context, request, reply),
  );
}

async function handleDesktopLogin(context: Dependencies, request: FastifyRequest, reply: FastifyReply) {
  const portal = request.portal;
  if (!portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
  reply.header('cache-control', 'no-store');
  if (!isSameOriginOrNone(request)) {
    return reply.status(403).send({ success: false, code: 'bad_request' } satisfies DesktopLoginFailure);
  }
  const form = DesktopLoginFormSchema.safeParse(formFields(request.body));
  if (!form.success) return reply.status(400).send(SIGN_IN_BAD_REQUEST);
  const outcome = await context.desktopLogin.signIn(portal, form.data, {
    ip: request.ip,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 255) : null,
    deviceToken: request.cookies[DEVICE_COOKIE],
  });
  if (!outcome.ok) {
    if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
    return reply.status(outcome.status).send(outcome.body);
  }
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, outcome.session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  if (outcome.newDeviceToken) {
    reply.setCookie(DEVICE_COOKIE, outcome.newDeviceToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
    });
  }
  return reply.send(outcome.body);
}

/** The form as sent (URL-encoded), or a JSON object; repeated fields keep their first value. */
function formFields(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') {
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body)) fields[name] ??= value;
    return fields;
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * Browsers send `Origin` with every cross-site POST; a page of another site must not be able to
 * sign a visitor in to an account of its choosing (login CSRF). The desktop sends no `Origin`.
 */
export function isSameOriginOrNone(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host.toLowerCase() === (request.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}
