import { type MessageFlags, MessageFlagsSchema } from '@portaldesk/protocol';
import { z } from 'zod';
import { ChatFileSchema } from '../files/chat-file.ts';

export { type MessageFlags, MessageFlagsSchema };

/**
 * The parts of the `im.*` answers the messenger screens use, as the Bitrix24 REST docs define
 * them (bitrix24-wire.md). Extra fields pass through untouched; the shared protocol types replace
 * these once the server's messenger lands.
 */

/** A user id for a one-to-one dialog, or `chat<N>` for a group chat. */
export const DialogIdSchema = z
  .union([z.string().regex(/^(chat)?\d+$/), z.number().int().positive()])
  .transform(String);
export type DialogId = string;

const Id = z.coerce.number().int();

export const DialogUserSchema = z.looseObject({
  id: Id,
  name: z.string().default(''),
  avatar: z.string().default(''),
  color: z.string().default(''),
  /** When the portal last saw them connected (now while they are); false when never. */
  last_activity_date: z.union([z.string(), z.literal(false)]).optional(),
  /** What they chose: `online`, `away` or `dnd` (Bitrix24 `im.user.status.set`). */
  status: z.string().optional(),
  /** When their automatic "away" began; false while not idle. */
  idle: z.union([z.string(), z.literal(false)]).optional(),
});
export type DialogUser = z.infer<typeof DialogUserSchema>;

export const RecentItemSchema = z.looseObject({
  id: DialogIdSchema,
  chat_id: Id.optional(),
  type: z.string(),
  title: z.string().default(''),
  avatar: z.looseObject({ url: z.string().default(''), color: z.string().default('') }).optional(),
  message: z
    .looseObject({
      id: Id,
      text: z.string().default(''),
      author_id: Id.default(0),
      date: z.string(),
      /** Bitrix24: `delivered` once the other side has read it, `received` before. */
      status: z.string().optional(),
    })
    .nullable()
    .optional(),
  counter: z.coerce.number().int().default(0),
  pinned: z.boolean().default(false),
  unread: z.boolean().default(false),
  date_update: z.string().optional(),
  /** Group chats only: who may manage the members. */
  chat: z
    .looseObject({
      owner: Id.default(0),
      manager_list: z.array(Id).default([]),
      /** Who muted the chat; the reader sees only themselves here. */
      mute_list: z.array(Id).catch([]).default([]),
    })
    .optional(),
  /** One-to-one dialogs only: the other person, with their status and presence. */
  user: DialogUserSchema.optional().catch(undefined),
});
export type RecentItem = z.infer<typeof RecentItemSchema>;

export const RecentListSchema = z.object({
  items: z.array(RecentItemSchema),
  hasMorePages: z.boolean().default(false),
});

/** The author of system messages (someone joined, left…): they are notes, not anyone's speech. */
export const SYSTEM_AUTHOR_ID = 0;

export const DialogMessageSchema = z.looseObject({
  id: Id,
  chat_id: Id,
  author_id: Id,
  date: z.string(),
  text: z.string().default(''),
  unread: z.boolean().optional(),
  params: MessageFlagsSchema.optional(),
  /** Its files, put beside it from the page's or the event's `files` (see `files/chat-file.ts`). */
  files: z.array(ChatFileSchema).optional(),
});
export type DialogMessage = z.infer<typeof DialogMessageSchema>;

export const DialogMessagesSchema = z.object({
  chat_id: Id,
  messages: z.array(DialogMessageSchema),
  users: z.array(DialogUserSchema).default([]),
  /** The messages' reactions and who put them, read by the reaction store (reactions/). */
  reactions: z.array(z.unknown()).optional(),
  usersShort: z.array(z.unknown()).optional(),
  files: z.array(ChatFileSchema).catch([]).default([]),
});
export type DialogMessagesPage = z.infer<typeof DialogMessagesSchema>;

export const DialogReadSchema = z.looseObject({
  dialogId: DialogIdSchema,
  chatId: Id,
  lastId: Id,
  counter: z.coerce.number().int(),
});
