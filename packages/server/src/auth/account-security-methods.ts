import {
  type ActiveSessionInfo,
  OtpCodeParamsSchema,
  type OtpConfirmation,
  OtpDisableParamsSchema,
  PasswordChangeParamsSchema,
  restPositiveInt,
  type SessionsEnded,
} from '@portaldesk/protocol';
import { z } from 'zod';
import type { AuthContext } from '../rest/auth-context.ts';
import { RestError } from '../rest/rest-error.ts';
import { type RestMethod, restMethod, takingSecrets } from '../rest/rest-method.ts';
import { requireSession } from '../rest/session-only.ts';
import type { UserStore } from '../users/user-store.ts';
import type { AppPasswordService } from './app-passwords/app-password-service.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { ReauthenticationLimits } from './reauthentication-limits.ts';
import type { SessionService } from './sessions/session-service.ts';
import type { TwoFactorService } from './two-factor/two-factor-service.ts';

interface Dependencies {
  sessions: SessionService;
  appPasswords: AppPasswordService;
  twoFactor: TwoFactorService;
  users: UserStore;
  passwordHasher: PasswordHasher;
  reauthLimits: ReauthenticationLimits;
}

/**
 * `portaldesk.*`: the signed-in user's own sessions, application passwords, password and
 * two-factor sign-in. Session callers only (`WRONG_AUTH_TYPE` otherwise): an app's OAuth token
 * or a webhook must not be able to end the user's sessions or switch off their second factor.
 * State changes need the session's `sessid` (`INVALID_CSRF`), as every session call does.
 *
 * The methods that take a password or a code refuse GET (`ERROR_POST_REQUIRED`): see
 * `rest/secret-params.ts`.
 *
 * Errors besides the common ones: `NOT_FOUND` (no such session or application password),
 * `WRONG_PASSWORD` (the current password is wrong), `ERROR_ARGUMENT` (a wrong or used code,
 * two-factor already on), `INVALID_ARG_VALUE` (a parameter missing or out of bounds, such as a
 * new password that is too short), `QUERY_LIMIT_EXCEEDED` (HTTP 429 with `Retry-After`: too
 * many wrong passwords or codes for this user; nothing is checked until the window ends).
 */
export function accountSecurityMethods(deps: Dependencies): RestMethod[] {
  const { sessions, appPasswords, twoFactor } = deps;
  const proof = proofChecks(deps);
  return [
    method('portaldesk.session.list', true, z.object({}).passthrough(), async (auth) => {
      const list = await sessions.list(auth.portal.id, auth.userId);
      return list.map(
        (s): ActiveSessionInfo => ({
          id: s.id,
          current: s.id === auth.credentialId,
          method: s.appPasswordId === null ? 'password' : 'app_password',
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          ip: s.ip,
          userAgent: s.userAgent,
        }),
      );
    }),
    method(
      'portaldesk.session.revoke',
      false,
      z.object({ ID: z.string().min(1).max(64) }).passthrough(),
      async (auth, p) => {
        if (!(await sessions.revoke(auth.portal.id, auth.userId, p.ID))) notFound('session');
        return true;
      },
    ),
    // "Sign out everywhere else": every session of the user but the one asking.
    method('portaldesk.session.revokeOthers', false, z.object({}).passthrough(), async (auth) => {
      const revokedSessions = await sessions.revokeAllOfUser(auth.portal.id, auth.userId, auth.credentialId);
      return { revokedSessions } satisfies SessionsEnded;
    }),
    method('portaldesk.session.logout', false, z.object({}).passthrough(), async (auth) => {
      await sessions.revoke(auth.portal.id, auth.userId, auth.credentialId);
      return true;
    }),
    // The new password takes effect at once; every other session (a browser or a desktop that
    // may be someone else's) ends, this one stays. Application passwords stay: each is listed
    // beside the sessions and is revoked on its own.
    takingSecrets(
      ['CURRENT_PASSWORD', 'NEW_PASSWORD'],
      method('portaldesk.password.change', false, PasswordChangeParamsSchema, async (auth, p) => {
        await proof.password(auth, p.CURRENT_PASSWORD);
        await deps.users.setPasswordHash(auth.portal.id, auth.userId, await deps.passwordHasher.hash(p.NEW_PASSWORD));
        const revokedSessions = await sessions.revokeAllOfUser(auth.portal.id, auth.userId, auth.credentialId);
        return { revokedSessions } satisfies SessionsEnded;
      }),
    ),
    method('portaldesk.apppassword.list', true, z.object({}).passthrough(), (auth) =>
      appPasswords.list(auth.portal.id, auth.userId),
    ),
    method('portaldesk.apppassword.revoke', false, z.object({ ID: restPositiveInt }).passthrough(), async (auth, p) => {
      if (!(await appPasswords.revoke(auth.portal.id, auth.userId, p.ID))) notFound('application password');
      return true;
    }),
    method('portaldesk.otp.status', true, z.object({}).passthrough(), (auth) =>
      twoFactor.status(auth.portal.id, auth.userId),
    ),
    method('portaldesk.otp.enroll', false, z.object({}).passthrough(), async (auth) => {
      if (await twoFactor.isEnabled(auth.portal.id, auth.userId)) {
        throw new RestError('ERROR_ARGUMENT', 'Two-factor sign-in is already on; turn it off first');
      }
      const user = await deps.users.findById(auth.portal.id, auth.userId);
      const label = user?.email ?? user?.phone ?? user?.username ?? `user ${auth.userId}`;
      return twoFactor.beginEnrollment(auth.portal.id, auth.userId, auth.portal.name, label);
    }),
    takingSecrets(
      ['CODE'],
      method('portaldesk.otp.confirm', false, OtpCodeParamsSchema, async (auth, p) => {
        const recoveryCodes = await twoFactor.confirmEnrollment(auth.portal.id, auth.userId, p.CODE);
        if (!recoveryCodes)
          throw new RestError('ERROR_ARGUMENT', 'The code does not match; enrol first and try a fresh code');
        return { enabled: true, recoveryCodes } satisfies OtpConfirmation;
      }),
    ),
    takingSecrets(
      ['CODE', 'PASSWORD'],
      method('portaldesk.otp.disable', false, OtpDisableParamsSchema, async (auth, p) => {
        // A current code, a recovery code or the password is asked for, so that a session left
        // open on a shared computer is not enough to strip the account's second factor.
        if (p.CODE !== undefined) await proof.code(auth, p.CODE);
        else await proof.password(auth, p.PASSWORD ?? '');
        await twoFactor.resetForUser(auth.portal.id, auth.userId);
        return true;
      }),
    ),
  ];
}

/** The user proves who they are again; wrong answers count against {@link ReauthenticationLimits}. */
function proofChecks({ users, passwordHasher, twoFactor, reauthLimits }: Dependencies) {
  const check = async (auth: AuthContext, ok: () => Promise<boolean>, wrong: RestError) => {
    await reauthLimits.ensureAllowed(auth.portal.id, auth.userId);
    if (await ok()) return;
    await reauthLimits.recordFailure(auth.portal.id, auth.userId);
    throw wrong;
  };
  return {
    password: (auth: AuthContext, password: string) =>
      check(
        auth,
        async () => {
          const hash = await users.passwordHash(auth.portal.id, auth.userId);
          return hash !== null && (await passwordHasher.verify(hash, password));
        },
        new RestError('WRONG_PASSWORD', 'The current password is wrong'),
      ),
    code: (auth: AuthContext, code: string) =>
      check(
        auth,
        () => twoFactor.verify(auth.portal.id, auth.userId, code),
        new RestError('ERROR_ARGUMENT', 'The code is wrong or already used'),
      ),
  };
}

function method<Schema extends z.ZodType>(
  name: string,
  readOnly: boolean,
  params: Schema,
  handle: (auth: AuthContext, params: z.output<Schema>) => Promise<unknown>,
): RestMethod<Schema> {
  return restMethod({
    name,
    scope: 'basic',
    readOnly,
    params,
    async handle({ auth, params: parsed }) {
      requireSession(auth);
      return { result: await handle(auth, parsed) };
    },
  });
}

function notFound(what: string): never {
  throw new RestError('NOT_FOUND', `There is no such ${what}`);
}
