import type { ImFileView } from './chat-files.ts';

/**
 * Result shapes of the messenger REST methods, with the field names of the Bitrix24 docs.
 * Dates are ATOM strings (`2026-03-04T09:43:26+00:00`).
 */
export interface ImUserView {
  id: number;
  active: boolean;
  name: string;
  first_name: string;
  last_name: string;
  work_position: string;
  color: string;
  avatar: string;
  avatar_hr: string;
  gender: string;
  birthday: string;
  extranet: boolean;
  network: boolean;
  bot: boolean;
  connector: boolean;
  external_auth_id: string;
  status: string;
  idle: false | string;
  last_activity_date: false | string;
  mobile_last_date: false | string;
  desktop_last_date: false | string;
  absent: false | string;
  departments: number[];
  phones: false | Record<string, string>;
  bot_data: null;
  type: 'user';
  website: string;
  email: string;
}

export interface ImMessageView {
  id: number;
  chat_id: number;
  author_id: number;
  date: string;
  text: string;
  unread: boolean;
  uuid: string | null;
  replaces: unknown[];
  params: Record<string, unknown> | unknown[];
  disappearing_date: null;
}

export interface ImDialogMessages {
  chat_id: number;
  messages: ImMessageView[];
  users: ImUserView[];
  files: ImFileView[];
}

export interface ImDialogReadResult {
  dialogId: string;
  chatId: number;
  lastId: number;
  counter: number;
}

export interface ImChatView {
  id: number;
  parent_chat_id: number;
  parent_message_id: number;
  name: string;
  description: string;
  owner: number;
  extranet: boolean;
  avatar: string;
  color: string;
  type: 'chat' | 'open';
  entity_type: string;
  entity_id: string;
  entity_data_1: string;
  entity_data_2: string;
  entity_data_3: string;
  mute_list: unknown[];
  manager_list: number[];
  date_create: string;
  message_type: 'C' | 'O';
  user_counter: number;
  role: 'OWNER' | 'MANAGER' | 'MEMBER';
}

export interface ImRecentMessage {
  id: number;
  text: string;
  file: boolean;
  author_id: number;
  attach: boolean;
  sticker: null;
  date: string;
  status: 'received' | 'delivered';
  uuid: string | null;
}

export interface ImRecentItem {
  id: number | string;
  chat_id: number;
  type: 'user' | 'chat';
  avatar: { url: string; color: string };
  title: string;
  message: ImRecentMessage | null;
  counter: number;
  last_id: number;
  pinned: boolean;
  unread: boolean;
  has_reminder: boolean;
  date_update: string;
  date_last_activity: string;
  user?: ImUserView;
  chat?: ImChatView;
  options: unknown[];
}

export interface ImRecentList {
  items: ImRecentItem[];
  hasMore: boolean;
  hasMorePages: boolean;
}

/** PHP serialises an empty map as `[]`; Bitrix24 clients expect exactly that. */
export type PhpMap<V> = Record<string, V> | [];

export interface ImCounters {
  TYPE: { ALL: number; NOTIFY: number; CHAT: number; LINES: number; DIALOG: number; MESSENGER: number };
  CHAT: PhpMap<number>;
  CHAT_MUTED: PhpMap<number>;
  CHAT_UNREAD: number[];
  LINES: PhpMap<number>;
  DIALOG: PhpMap<number>;
  DIALOG_UNREAD: number[];
}

export interface ImNotificationView {
  id: number;
  chat_id: number;
  author_id: number;
  date: string;
  notify_type: number;
  notify_module: string;
  notify_event: string;
  notify_tag: string;
  notify_sub_tag: string;
  notify_title: string;
  setting_name: string;
  text: string;
  notify_read: 'Y' | 'N';
  params: Record<string, unknown> | null;
}

export interface ImNotifyList {
  total_count: number;
  total_unread_count: number;
  chat_id?: number;
  notifications: ImNotificationView[];
  users: ImUserView[];
}

export interface ImRevisions {
  rest: number;
  web: number;
  mobile: number;
  desktop: number;
  im_revision_mobile: number;
}
