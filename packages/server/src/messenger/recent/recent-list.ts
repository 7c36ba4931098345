import type { ImChatView, ImRecentItem } from '@portaldesk/protocol';
import { chatAvatarPath, pictureAddress } from '../../photos/photo-address.ts';
import type { Database } from '../../storage/database.ts';
import { atomDate } from '../atom-date.ts';
import { colorFor } from '../colors.ts';
import type { ImUserRow } from '../users/im-user-view.ts';
import { imUserView } from '../users/im-user-view.ts';

export interface RecentFilter {
  skipChat: boolean;
  skipDialog: boolean;
  unreadOnly: boolean;
  /** Only dialogs changed since then. */
  updatedSince: Date | null;
  /** Only dialogs whose last activity is before this (paging by date). */
  activeBefore: Date | null;
  offset: number;
  limit: number;
}

interface RecentRow {
  chat_id: number;
  type: 'P' | 'C' | 'O';
  title: string;
  description: string;
  color: string;
  avatar_key: string | null;
  owner_id: number | null;
  entity_type: string;
  entity_id: string;
  created_at: Date;
  last_activity_at: Date;
  role: string;
  unread_count: number;
  last_read_id: number;
  pinned: boolean;
  muted: boolean;
  user_count: number;
  manager_list: number[];
  message_id: number | null;
  message_text: string | null;
  message_author_id: number | null;
  message_date: Date | null;
  message_uuid: string | null;
  message_params: Record<string, unknown> | null;
  message_read_by_others: boolean | null;
  companion_id: number | null;
  companion_first_name: string | null;
  companion_photo_key: string | null;
  companion_last_name: string | null;
  companion_email: string | null;
  companion_active: boolean | null;
}

/** The user's dialogs and chats, most recently active first, with their last message and counter. */
export class RecentList {
  constructor(private readonly db: Database) {}

  async list(portalId: number, userId: number, filter: RecentFilter): Promise<ImRecentItem[]> {
    const where = ['m.user_id = $1', 'm.portal_id = $2'];
    const params: unknown[] = [userId, portalId, filter.limit, filter.offset];
    const types = [...(filter.skipDialog ? [] : ['P']), ...(filter.skipChat ? [] : ['C', 'O'])];
    params.push(types);
    where.push(`c.type = ANY($${params.length}::char(1)[])`);
    // A one-to-one dialog shows up once it has a message.
    where.push("(c.type <> 'P' OR c.last_message_id > 0)");
    if (filter.unreadOnly) where.push('m.unread_count > 0');
    if (filter.updatedSince) {
      params.push(filter.updatedSince);
      where.push(`c.last_activity_at >= $${params.length}`);
    }
    if (filter.activeBefore) {
      params.push(filter.activeBefore);
      where.push(`c.last_activity_at < $${params.length}`);
    }
    const rows = await this.db.query<RecentRow>(
      `SELECT c.id AS chat_id, c.type, c.title, c.description, c.color, c.owner_id, c.entity_type, c.entity_id,
              c.created_at, c.last_activity_at, m.role, m.unread_count, m.last_read_id,
              m.pinned_at IS NOT NULL AS pinned, m.muted,
              (SELECT count(*)::int FROM im_chat_members x WHERE x.chat_id = c.id) AS user_count,
              ARRAY(SELECT x.user_id FROM im_chat_members x WHERE x.chat_id = c.id AND x.role IN ('owner', 'manager') ORDER BY x.user_id) AS manager_list,
              msg.id AS message_id, msg.text AS message_text, msg.author_id AS message_author_id,
              msg.created_at AS message_date, msg.uuid AS message_uuid, msg.params AS message_params,
              (SELECT bool_and(x.last_read_id >= msg.id) FROM im_chat_members x WHERE x.chat_id = c.id AND x.user_id <> msg.author_id) AS message_read_by_others,
              u.id AS companion_id, u.first_name AS companion_first_name, u.last_name AS companion_last_name,
              u.email AS companion_email, u.active AS companion_active, u.photo_key AS companion_photo_key,
              c.avatar_key
       FROM im_chat_members m
       JOIN im_chats c ON c.id = m.chat_id
       LEFT JOIN im_messages msg ON msg.id = c.last_message_id
       LEFT JOIN im_private_dialogs d ON c.type = 'P' AND d.chat_id = c.id
       LEFT JOIN users u ON u.id = CASE WHEN d.user_low = $1 THEN d.user_high ELSE d.user_low END
       WHERE ${where.join(' AND ')}
       ORDER BY m.pinned_at IS NULL, m.pinned_at, c.last_activity_at DESC, c.id DESC
       LIMIT $3 OFFSET $4`,
      params,
    );
    return rows.map((r) => recentItem(r, userId));
  }
}

function recentItem(row: RecentRow, userId: number): ImRecentItem {
  const isPrivate = row.type === 'P';
  const companion: ImUserRow | null =
    isPrivate && row.companion_id !== null
      ? {
          id: row.companion_id,
          first_name: row.companion_first_name ?? '',
          last_name: row.companion_last_name ?? '',
          email: row.companion_email,
          active: row.companion_active ?? true,
          photo_key: row.companion_photo_key,
        }
      : null;
  const user = companion ? imUserView(companion) : undefined;
  const item: ImRecentItem = {
    id: isPrivate ? (row.companion_id ?? userId) : `chat${row.chat_id}`,
    chat_id: row.chat_id,
    type: isPrivate ? 'user' : 'chat',
    avatar: {
      url: user ? user.avatar : pictureAddress(chatAvatarPath, row.chat_id, row.avatar_key),
      color: user ? user.color : row.color || colorFor(row.chat_id),
    },
    title: user ? user.name : row.title,
    message:
      row.message_id === null
        ? null
        : {
            id: Number(row.message_id),
            text: row.message_text ?? '',
            // False once every file of a message of files was deleted from the chat.
            file: Array.isArray(row.message_params?.FILE_ID) && row.message_params.FILE_ID.length > 0,
            author_id: row.message_author_id ?? 0,
            attach: Boolean(row.message_params && 'ATTACH' in row.message_params),
            sticker: null,
            date: atomDate(new Date(row.message_date as Date)),
            status: row.message_read_by_others ? 'delivered' : 'received',
            uuid: row.message_uuid,
          },
    counter: row.unread_count,
    last_id: Number(row.last_read_id),
    pinned: row.pinned,
    unread: false,
    has_reminder: false,
    date_update: atomDate(new Date(row.last_activity_at)),
    date_last_activity: atomDate(new Date(row.last_activity_at)),
    options: [],
  };
  if (user) item.user = user;
  else item.chat = chatView(row, userId);
  return item;
}

function chatView(row: RecentRow, userId: number): ImChatView {
  return {
    id: row.chat_id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: row.title,
    description: row.description,
    owner: row.owner_id ?? 0,
    extranet: false,
    avatar: pictureAddress(chatAvatarPath, row.chat_id, row.avatar_key),
    color: row.color || colorFor(row.chat_id),
    type: row.type === 'O' ? 'open' : 'chat',
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    // Bitrix24 lists who muted the chat; a reader sees only their own choice.
    mute_list: row.muted ? [userId] : [],
    manager_list: row.manager_list,
    date_create: atomDate(new Date(row.created_at)),
    message_type: row.type === 'O' ? 'O' : 'C',
    user_counter: row.user_count,
    role: row.role === 'owner' ? 'OWNER' : row.role === 'manager' ? 'MANAGER' : 'MEMBER',
  };
}
