import type { ImUserView } from '@portaldesk/protocol';
import { pictureAddress, userPhotoPath } from '../../photos/photo-address.ts';
import type { UserPresence } from '../../realtime/presence-reader.ts';
import type { Queryable } from '../../storage/database.ts';
import { fullName } from '../../users/user.ts';
import { atomDate } from '../atom-date.ts';
import { colorFor } from '../colors.ts';

export interface ImUserRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  active: boolean;
  /** The key of the user's photo address; null or absent without a photo. */
  photo_key?: string | null;
}

/** A user as the messenger methods and events show them. */
export function imUserView(row: ImUserRow): ImUserView {
  return {
    id: row.id,
    active: row.active,
    name: fullName({ firstName: row.first_name, lastName: row.last_name }),
    first_name: row.first_name,
    last_name: row.last_name,
    work_position: '',
    color: colorFor(row.id),
    avatar: pictureAddress(userPhotoPath, row.id, row.photo_key),
    avatar_hr: pictureAddress(userPhotoPath, row.id, row.photo_key),
    gender: '',
    birthday: '',
    extranet: false,
    network: false,
    bot: false,
    connector: false,
    external_auth_id: 'default',
    status: 'online',
    idle: false,
    last_activity_date: false,
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: [],
    phones: false,
    bot_data: null,
    type: 'user',
    website: '',
    email: row.email ?? '',
  };
}

/** The users of one portal with the given ids (unknown ids and other portals' users are skipped). */
export async function loadImUsers(db: Queryable, portalId: number, ids: readonly number[]): Promise<ImUserView[]> {
  const unique = [...new Set(ids)].filter((id) => id > 0);
  if (unique.length === 0) return [];
  const rows = await db.query<ImUserRow>(
    'SELECT id, first_name, last_name, email, active, photo_key FROM users WHERE portal_id = $1 AND id = ANY($2::int[]) ORDER BY id',
    [portalId, unique],
  );
  return rows.map(imUserView);
}

export function usersById(users: readonly ImUserView[]): Record<string, ImUserView> {
  return Object.fromEntries(users.map((u) => [String(u.id), u]));
}

/**
 * The view with what presence knows: `last_activity_date` is now while the user is connected,
 * else when they last were (false when never); `desktop_last_date` is now while the desktop
 * application is connected (when it was last connected is not kept, so false otherwise).
 */
export function withPresence(user: ImUserView, presence: UserPresence | undefined, now: Date): ImUserView {
  if (!presence) return user;
  return {
    ...user,
    last_activity_date: presence.online ? atomDate(now) : presence.lastSeenAt ? atomDate(presence.lastSeenAt) : false,
    desktop_last_date: presence.desktopOnline ? atomDate(now) : false,
  };
}
