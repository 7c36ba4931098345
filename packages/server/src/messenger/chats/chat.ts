/** A chat as the messenger works with it, seen by one user (`member` is that user's place in it). */
export interface Chat {
  id: number;
  portalId: number;
  /** P: one-to-one dialog, C: closed group chat, O: open group chat. */
  type: 'P' | 'C' | 'O';
  title: string;
  description: string;
  color: string;
  ownerId: number | null;
  entityType: string;
  entityId: string;
  lastMessageId: number;
  createdAt: Date;
  lastActivityAt: Date;
}

export type MemberRole = 'owner' | 'manager' | 'member';

export interface Membership {
  role: MemberRole;
  startId: number;
  lastReadId: number;
  unreadCount: number;
}

/** A dialog as one user opened it: the chat (when it exists yet) and the user's membership. */
export interface OpenedDialog {
  chat: Chat | null;
  member: Membership | null;
  /** For a one-to-one dialog, the other user. */
  companionId: number | null;
}

export interface ChatRow {
  id: number;
  portal_id: number;
  type: 'P' | 'C' | 'O';
  title: string;
  description: string;
  color: string;
  owner_id: number | null;
  entity_type: string;
  entity_id: string;
  last_message_id: number;
  created_at: Date;
  last_activity_at: Date;
}

export const CHAT_COLUMNS =
  'c.id, c.portal_id, c.type, c.title, c.description, c.color, c.owner_id, c.entity_type, c.entity_id, c.last_message_id, c.created_at, c.last_activity_at';

export function toChat(row: ChatRow): Chat {
  return {
    id: row.id,
    portalId: row.portal_id,
    type: row.type,
    title: row.title,
    description: row.description,
    color: row.color,
    ownerId: row.owner_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    lastMessageId: Number(row.last_message_id),
    createdAt: new Date(row.created_at),
    lastActivityAt: new Date(row.last_activity_at),
  };
}

export function dialogIdOf(chat: Pick<Chat, 'id' | 'type'>, companionId: number | null): number | string {
  return chat.type === 'P' && companionId !== null ? companionId : `chat${chat.id}`;
}

/** The dialog id a member of the chat knows it by: in a one-to-one dialog, each side sees the other's id. */
export function dialogIdForMember(
  chat: { id: number; type: string },
  memberIds: readonly number[],
  memberId: number,
): number | string {
  return chat.type === 'P' ? (memberIds.find((id) => id !== memberId) ?? memberId) : `chat${chat.id}`;
}

/** A member's columns as the chat lookups select them; all null when the user is not a member. */
export interface MembershipRow {
  role: MemberRole | null;
  start_id: number | null;
  last_read_id: number | null;
  unread_count: number | null;
}

export function membershipOf(row: MembershipRow): Membership | null {
  if (row.role === null) return null;
  return {
    role: row.role,
    startId: Number(row.start_id),
    lastReadId: Number(row.last_read_id),
    unreadCount: Number(row.unread_count),
  };
}
