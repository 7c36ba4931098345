import type { FastifyReply } from 'fastify';
import { NETWORK_SESSION_COOKIE } from './network-session-store.ts';

/**
 * The Network session cookie: HttpOnly, host-only (no Domain, so no portal ever sees it), and
 * SameSite=Lax so that it rides along the top-level navigation to `/oauth/authorize/` that a
 * portal or the desktop starts, but not cross-site posts.
 */
export function setSessionCookie(
  reply: FastifyReply,
  session: { sessionId: string; expiresAt: Date },
  secure: boolean,
) {
  reply.setCookie(NETWORK_SESSION_COOKIE, session.sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(NETWORK_SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
