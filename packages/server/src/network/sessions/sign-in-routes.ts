import { NetworkSignInFormSchema } from '@portaldesk/protocol';
import type { FastifyInstance } from 'fastify';
import { SIGN_IN_BAD_REQUEST } from '../../auth/login/desktop-login-routes.ts';
import { RestError } from '../../rest/rest-error.ts';
import { mergeParams } from '../../rest/rest-params-parser.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import type { NetworkContext } from '../network-context.ts';
import { NETWORK_SESSION_COOKIE } from './network-session-store.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';

/**
 * `POST /network/login/` and `POST /network/logout/` on the Network host, for the Network's own
 * web pages. The answer has the shape of the desktop password sign-in. Sign-in takes JSON only:
 * a cross-site form cannot send JSON, so another site cannot sign a browser into its profile.
 */
export async function signInRoutes(app: FastifyInstance, network: NetworkContext, secure: boolean): Promise<void> {
  app.post('/network/login', { config: { badInputAnswer: SIGN_IN_BAD_REQUEST } }, async (request, reply) => {
    if (typeof request.body !== 'object' || request.body === null) {
      throw new RestError('INVALID_REQUEST', 'Send the sign-in as JSON', 415);
    }
    const form = NetworkSignInFormSchema.safeParse(request.body);
    if (!form.success) return reply.status(401).send({ success: false });
    const outcome = await network.signIn.attempt({ ...form.data, ip: request.ip });
    reply.header('cache-control', 'no-store');
    switch (outcome.kind) {
      case 'failed':
        return reply.status(401).send({ success: false });
      case 'need-otp':
        return reply.status(401).send({ success: false, needOtp: true });
      case 'rate-limited':
        return reply
          .status(429)
          .header('retry-after', String(outcome.retryAfterSeconds))
          .send({ success: false, code: 'too_many_attempts' });
      case 'signed-in': {
        const previous = request.cookies[NETWORK_SESSION_COOKIE];
        if (previous) await network.sessions.revoke(previous);
        const session = await network.sessions.create(outcome.profile.id);
        setSessionCookie(reply, session, secure);
        return reply.send({ success: true, profileId: outcome.profile.publicId, sessid: session.csrfToken });
      }
    }
  });

  /** The Network's own pages learn the sessid of this browser's session (same origin only). */
  app.get('/network/session', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const session = await network.sessions.find(request.cookies[NETWORK_SESSION_COOKIE]);
    const profile = session ? await network.profiles.findById(session.profileId) : null;
    if (!session || !profile) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
    return reply.send({ success: true, profileId: profile.publicId, sessid: session.csrfToken });
  });

  /** Ends the browser session only: portal sessions opened through the Network stay. */
  app.post('/network/logout', async (request, reply) => {
    const sessionId = request.cookies[NETWORK_SESSION_COOKIE];
    const session = await network.sessions.find(sessionId);
    const params = mergeParams('', request.body);
    const sessid = typeof params.sessid === 'string' ? params.sessid : '';
    if (!session || !sessionId) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
    if (!secretsEqual(sessid, session.csrfToken)) {
      throw new RestError('INVALID_CSRF', 'Sign-out must carry the sessid of the session');
    }
    await network.sessions.revoke(sessionId);
    clearSessionCookie(reply, secure);
    return reply.send({ success: true });
  });
}
