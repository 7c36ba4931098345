import { type RestProfile, type RestUser, USER_BASIC_FIELDS, USER_BRIEF_FIELDS } from '@portaldesk/protocol';
import { userPhotoPath } from '../../photos/photo-address.ts';
import { type AuthContext, hasScope } from '../../rest/auth-context.ts';
import { restDateTime } from '../../rest/rest-date.ts';
import type { User } from '../user.ts';

/** A user in the REST shape; fields the user has no value for are left out. `online`: connected now. */
export function toRestUser(user: User, online = false, origin = ''): RestUser {
  const view: RestUser = {
    ID: String(user.id),
    ACTIVE: user.active,
    NAME: user.firstName,
    LAST_NAME: user.lastName,
    IS_ONLINE: online ? 'Y' : 'N',
    TIME_ZONE: '',
    PERSONAL_GENDER: '',
    DATE_REGISTER: restDateTime(user.createdAt),
    USER_TYPE: 'employee',
  };
  if (user.email) view.EMAIL = user.email;
  if (user.phone) view.PERSONAL_MOBILE = user.phone;
  if (user.photoKey) view.PERSONAL_PHOTO = origin + userPhotoPath(user.id, user.photoKey);
  return view;
}

export function toRestProfile(user: User, origin = ''): RestProfile {
  const profile: RestProfile = {
    ID: String(user.id),
    ADMIN: user.isAdmin,
    NAME: user.firstName,
    LAST_NAME: user.lastName,
    PERSONAL_GENDER: '',
    TIME_ZONE: '',
  };
  if (user.photoKey) profile.PERSONAL_PHOTO = origin + userPhotoPath(user.id, user.photoKey);
  return profile;
}

/**
 * The fields the caller's scope may read: `user` (and the user's own session) everything,
 * `user_basic` and `user_brief` their documented lists; `select` narrows further.
 */
export function visibleUserFields(auth: AuthContext, select: readonly string[] | undefined) {
  const allowed = hasScope(auth, 'user') ? null : hasScope(auth, 'user_basic') ? USER_BASIC_FIELDS : USER_BRIEF_FIELDS;
  const wanted =
    select && select.length > 0 && !select.includes('*') ? new Set(select.map((f) => f.toUpperCase())) : null;
  return (field: string) => (allowed === null || allowed.has(field)) && (wanted === null || wanted.has(field));
}

export function pickFields(user: RestUser, visible: (field: string) => boolean): Partial<RestUser> {
  return Object.fromEntries(Object.entries(user).filter(([field]) => visible(field))) as Partial<RestUser>;
}
