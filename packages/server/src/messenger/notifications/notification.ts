/** Bitrix24 notify types. */
export const NOTIFY_TYPE_FROM_USER = 2;
export const NOTIFY_TYPE_SYSTEM = 4;

export interface NewNotification {
  portalId: number;
  /** Who receives it. */
  userId: number;
  /** Who it is from; 0 for the system. */
  authorId: number;
  notifyType: typeof NOTIFY_TYPE_FROM_USER | typeof NOTIFY_TYPE_SYSTEM;
  module: string;
  event: string;
  /** A newer notification with the same tag replaces the older ones of that user. */
  tag: string | null;
  subTag: string | null;
  title: string;
  text: string;
  textOut: string;
  params: Record<string, unknown> | null;
}

export interface NotificationRow {
  id: number;
  chat_id: number;
  author_id: number;
  notify_type: number;
  module: string;
  event: string;
  tag: string | null;
  sub_tag: string | null;
  title: string;
  text: string;
  params: Record<string, unknown> | null;
  is_read: boolean;
  created_at: Date;
}

export const NOTIFICATION_COLUMNS =
  'id, chat_id, author_id, notify_type, module, event, tag, sub_tag, title, text, params, is_read, created_at';
