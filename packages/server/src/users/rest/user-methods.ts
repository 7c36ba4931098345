import {
  REST_PAGE_SIZE,
  UserGetFilterSchema,
  UserGetStartSchema,
  UserSelectSchema,
  userGetOrder,
} from '@portaldesk/protocol';
import { z } from 'zod';
import type { Clock } from '../../clock/clock.ts';
import type { PresenceReader } from '../../realtime/presence-reader.ts';
import type { AuthContext } from '../../rest/auth-context.ts';
import { RestError } from '../../rest/rest-error.ts';
import { pagedResult, type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { UserStore } from '../user-store.ts';
import { RecentUserCache } from './recent-user-cache.ts';
import { pickFields, toRestProfile, toRestUser, visibleUserFields } from './rest-user-view.ts';

const USER_SCOPES = ['user', 'user_basic', 'user_brief'] as const;

/** Filter keys that may also be given at the top level, as Bitrix24 accepts them there. */
const TOP_LEVEL_FILTER_KEYS = ['ID', 'EMAIL', 'ACTIVE'] as const;

/** The first key whose upper case is `name`: Bitrix24 reads `FILTER`, `filter`, `Filter` alike. */
const findKey = (raw: Record<string, unknown>, name: string) => Object.keys(raw).find((k) => k.toUpperCase() === name);
const paramOf = (raw: Record<string, unknown>, name: string) => {
  const key = findKey(raw, name);
  return key === undefined ? undefined : raw[key];
};

/**
 * `user.get` params. The filter comes as `FILTER` (any case) or as top-level keys; other
 * top-level keys (`sort`, `order`, `ADMIN_MODE`, the SDK's request id …) are not filters.
 */
const UserGetParamsSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const nested = paramOf(raw, 'FILTER') ?? {};
  if (typeof nested !== 'object' || nested === null || Array.isArray(nested)) {
    ctx.addIssue({ code: 'custom', path: ['FILTER'], message: 'FILTER must be an object of field: value' });
    return z.NEVER;
  }
  const merged: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_FILTER_KEYS) if (raw[key] !== undefined) merged[key] = raw[key];
  for (const [key, value] of Object.entries(nested)) merged[key.toUpperCase()] = value;
  const filter = UserGetFilterSchema.safeParse(merged);
  if (!filter.success) {
    for (const issue of filter.error.issues) ctx.addIssue({ ...issue, path: ['FILTER', ...issue.path] });
    return z.NEVER;
  }
  const start = UserGetStartSchema.safeParse(paramOf(raw, 'START'));
  const select = UserSelectSchema.safeParse(paramOf(raw, 'SELECT'));
  const order = userGetOrder(paramOf(raw, 'SORT'), paramOf(raw, 'ORDER'));
  if (!start.success || !select.success || order === null) {
    const path = !start.success ? 'start' : !select.success ? 'select' : 'order';
    const message = order === null ? 'only the ID order is supported, ASC or DESC' : 'invalid value';
    ctx.addIssue({ code: 'custom', path: [path], message });
    return z.NEVER;
  }
  return { filter: filter.data, start: start.data, select: select.data, order };
});

/** `profile`, `user.current`, `user.get`. */
interface Dependencies {
  users: UserStore;
  clock: Clock;
  /** Who is connected now (`IS_ONLINE`). */
  presence: Pick<PresenceReader, 'lastSeen'>;
}

export function userRestMethods(context: Dependencies): RestMethod[] {
  const { users } = context;
  const recent = new RecentUserCache(users, context.clock);
  const currentUser = async (auth: AuthContext) => {
    const user = auth.user ?? (await recent.get(auth.portal.id, auth.userId));
    // The authenticators refuse unknown and deactivated users; this guards a race with deletion.
    if (!user) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
    return user;
  };
  return [
    restMethod({
      name: 'profile',
      scope: 'basic',
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ auth, origin = '' }) => {
        const user = await currentUser(auth);
        // The docs: "If the user is inactive, the object is empty".
        return { result: user.active ? toRestProfile(user, origin) : {} };
      },
    }),
    restMethod({
      name: 'user.current',
      scope: USER_SCOPES,
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ auth, origin = '' }) => {
        const user = await currentUser(auth);
        return { result: pickFields(toRestUser(user, false, origin), visibleUserFields(auth, undefined)) };
      },
    }),
    restMethod({
      name: 'user.get',
      scope: USER_SCOPES,
      readOnly: true,
      params: UserGetParamsSchema,
      handle: async ({ auth, params, origin = '' }) => {
        const offset = Math.max(params.start, 0);
        // start=-1 asks for no count; then there is no `total` and no `next` either.
        const withoutTotal = params.start === -1;
        const { users: page, total } = await users.list(auth.portal.id, params.filter, {
          offset,
          limit: REST_PAGE_SIZE,
          descending: params.order === 'desc',
          withoutTotal,
        });
        const visible = visibleUserFields(auth, params.select);
        // IS_ONLINE: connected now (presence); asked only when the caller may see the field.
        const presence = visible('IS_ONLINE')
          ? await context.presence.lastSeen(
              auth.portal.id,
              page.map((user) => user.id),
            )
          : new Map();
        const items = page.map((user) => pickFields(toRestUser(user, presence.get(user.id)?.online, origin), visible));
        if (total === null) return { result: items };
        return pagedResult(items, total, offset);
      },
    }),
  ];
}
