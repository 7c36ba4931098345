import {
  type AdminUserActivation,
  type AdminUserCreated,
  type AdminUserView,
  adminUserAddParams,
  adminUserIdParams,
  adminUserListParams,
  classifyLogin,
  normalizeEmail,
  normalizePhone,
  REST_PAGE_SIZE,
} from '@portaldesk/protocol';
import type { z } from 'zod';
import type { PasswordHasher } from '../../auth/password-hasher.ts';
import type { SessionService } from '../../auth/sessions/session-service.ts';
import type { Portal } from '../../portals/portal.ts';
import { RestError } from '../../rest/rest-error.ts';
import { pagedResult, type RestMethod, takingSecrets } from '../../rest/rest-method.ts';
import { randomTypeableSecret } from '../../secrets/random-secret.ts';
import type { Database } from '../../storage/database.ts';
import type { User } from '../../users/user.ts';
import { UserStore } from '../../users/user-store.ts';
import { isUniqueViolation, takenLogin } from '../unique-violation.ts';
import { adminRestMethod } from './admin-rest-method.ts';

interface Dependencies {
  db: Database;
  users: UserStore;
  sessions: SessionService;
  passwordHasher: PasswordHasher;
}

/** `portaldesk.admin.user.list/add/deactivate/activate`. */
export function adminUserMethods(deps: Dependencies): RestMethod[] {
  const { users, sessions } = deps;
  return [
    adminRestMethod(users, 'portaldesk.admin.user.list', true, adminUserListParams, async (auth, params) => {
      const start = params.start ?? params.START ?? 0;
      const page = await users.list(auth.portal.id, {}, { offset: start, limit: REST_PAGE_SIZE });
      return pagedResult(page.users.map(adminUserView), page.total ?? 0, start);
    }),
    takingSecrets(
      ['PASSWORD'],
      adminRestMethod(users, 'portaldesk.admin.user.add', false, adminUserAddParams, async (auth, params) => {
        const input = newUserInput(params, auth.portal);
        const temporaryPassword = params.PASSWORD === undefined ? randomTypeableSecret(16) : undefined;
        const hash = await deps.passwordHasher.hash(params.PASSWORD ?? (temporaryPassword as string));
        const user = await deps.db
          .transaction(async (tx) => {
            const store = new UserStore(tx);
            const created = await store.create(auth.portal.id, input);
            await store.setPasswordHash(auth.portal.id, created.id, hash);
            return created;
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? duplicateLogin(error) : error;
          });
        const result: AdminUserCreated = {
          user: adminUserView(user),
          ...(temporaryPassword ? { temporaryPassword } : {}),
        };
        return { result };
      }),
    ),
    adminRestMethod(users, 'portaldesk.admin.user.deactivate', false, adminUserIdParams, async (auth, params) => {
      if (params.ID === auth.userId) throw new RestError('ERROR_ARGUMENT', 'You cannot deactivate yourself');
      const user = await existingUser(users, auth.portal.id, params.ID);
      await users.setActive(auth.portal.id, user.id, false);
      // A deactivated user is signed out everywhere at once; webhooks and tokens check `active`.
      const sessionsEnded = await sessions.revokeAllOfUser(auth.portal.id, user.id);
      const result: AdminUserActivation = { user: adminUserView({ ...user, active: false }), sessionsEnded };
      return { result };
    }),
    adminRestMethod(users, 'portaldesk.admin.user.activate', false, adminUserIdParams, async (auth, params) => {
      const user = await existingUser(users, auth.portal.id, params.ID);
      await users.setActive(auth.portal.id, user.id, true);
      const result: AdminUserActivation = { user: adminUserView({ ...user, active: true }), sessionsEnded: 0 };
      return { result };
    }),
  ];
}

export function adminUserView(user: User): AdminUserView {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    phone: user.phone,
    username: user.username,
    isAdmin: user.isAdmin,
    active: user.active,
    createdAt: user.createdAt.toISOString(),
  };
}

async function existingUser(users: Pick<UserStore, 'findById'>, portalId: number, id: number): Promise<User> {
  const user = await users.findById(portalId, id);
  if (!user) throw new RestError('NOT_FOUND', 'There is no such user');
  return user;
}

/** Logins normalised as sign-in reads them; phone numbers without `+` are of the portal's country. */
function newUserInput(params: z.output<typeof adminUserAddParams>, portal: Portal) {
  const { EMAIL: email, PHONE: phone, USERNAME: username } = params;
  if (!email && !phone && !username) {
    throw new RestError('ERROR_ARGUMENT', 'Give the user a login: an e-mail, a phone number or a user name');
  }
  const e164 = phone ? normalizePhone(phone, portal.defaultCountry) : null;
  if (phone && !e164) {
    throw new RestError(
      'ERROR_ARGUMENT',
      `PHONE: not a phone number (without + it is read as ${portal.defaultCountry})`,
    );
  }
  // A user name that reads as an e-mail or a phone number could never be used to sign in.
  if (username && classifyLogin(username, portal.defaultCountry).kind !== 'username') {
    throw new RestError('ERROR_ARGUMENT', 'USERNAME: a user name must not look like a phone number');
  }
  return {
    firstName: params.FIRST_NAME,
    lastName: params.LAST_NAME ?? '',
    email: email ? normalizeEmail(email) : null,
    phone: e164,
    username: username ?? null,
    isAdmin: params.ADMIN,
  };
}

function duplicateLogin(error: { constraint?: string }): RestError {
  return new RestError('ERROR_ARGUMENT', `The portal already has a user with this ${takenLogin(error)}`);
}
