import { z } from 'zod';
import { ChatFileSchema } from '../messenger/chat-file-schema.ts';
import { MessageFlagsSchema } from '../messenger/message-flags.ts';

/**
 * Params of the `im` realtime commands as the clients read them (bitrix24-wire.md, "push and
 * pull"). Loose: fields a client does not read pass through, and a newer server's extras do not
 * break it. Numbers may come as strings (Bitrix24 sends both); dialog ids are read as strings.
 * The server's side of the same shapes is `messenger/messenger-events.ts`.
 */
const Id = z.coerce.number().int();
const DialogIdParam = z.union([z.string(), z.number()]).transform(String);

/** `message` (one-to-one) and `messageChat` (group). */
export const ImMessageCommandSchema = z.looseObject({
  chatId: Id,
  dialogId: DialogIdParam.optional(),
  counter: z.coerce.number().int().default(0),
  /** False when the recipient muted the chat (or the message is silent): count it, never notify. */
  notify: z.boolean().optional().catch(undefined),
  message: z.looseObject({
    id: Id,
    chatId: Id.optional(),
    senderId: Id,
    recipientId: DialogIdParam.optional(),
    date: z.string(),
    text: z.string().default(''),
    params: MessageFlagsSchema.optional().catch(undefined),
  }),
  users: z
    .record(z.string(), z.looseObject({ name: z.string().optional(), avatar: z.string().optional() }))
    .nullish()
    .catch(undefined),
  /** Keyed by chat id; Bitrix24 sends an empty one as `[]`, read as none. */
  chat: z
    .record(z.string(), z.looseObject({ name: z.string().optional() }))
    .nullish()
    .catch(undefined),
  files: z.array(ChatFileSchema).catch([]).default([]),
});
export type ImMessageCommand = z.output<typeof ImMessageCommandSchema>;

/** `readMessage` and `readMessageChat`, to the reader's own clients. */
export const ImReadCommandSchema = z.looseObject({
  dialogId: DialogIdParam,
  counter: z.coerce.number().int().default(0),
});

/** `readMessageOpponent` and `readMessageChatOpponent`: someone else read the dialog up to `lastId`. */
export const ImOpponentReadCommandSchema = z.looseObject({
  dialogId: DialogIdParam,
  chatId: Id,
  lastId: Id,
});

/** `startWriting`. */
export const ImWritingCommandSchema = z.looseObject({
  dialogId: DialogIdParam,
  userId: Id,
  userName: z.string().default(''),
});

/** `chatUserAdd`. */
export const ImChatUserAddCommandSchema = z.looseObject({
  chatId: Id,
  chatTitle: z.string().default(''),
  chatOwner: Id.default(0),
  newUsers: z.array(Id).default([]),
});

/** `chatUserLeave`. */
export const ImChatUserLeaveCommandSchema = z.looseObject({ chatId: Id, userId: Id });

/** `chatAvatar`: the chat's picture address, empty when removed. */
export const ImChatAvatarCommandSchema = z.looseObject({ chatId: Id, avatar: z.string() });

/** `messageUpdate` and `messageDelete`. */
export const ImMessageChangeCommandSchema = z.looseObject({
  id: Id,
  type: z.string().default('private'),
  chatId: Id,
  dialogId: DialogIdParam,
  text: z.string().default(''),
  params: MessageFlagsSchema.default({}),
  counter: z.coerce.number().int().optional(),
});

/**
 * `messageParamsUpdate`: params of a message changed by something other than an edit (its files,
 * after one was deleted from the chat). Only the params that changed are sent.
 */
export const ImMessageParamsUpdateCommandSchema = z.looseObject({
  id: Id,
  chatId: Id,
  dialogId: DialogIdParam,
  params: MessageFlagsSchema,
});

/** `chatMuteNotify`, to the user's own devices. */
export const ImChatMuteCommandSchema = z.looseObject({ dialogId: DialogIdParam, muted: z.boolean() });

/** `notifyAdd`: a portal notification for the user. */
export const ImNotifyAddCommandSchema = z.looseObject({
  id: Id,
  text: z.string(),
  title: z.string().nullish(),
  userName: z.string().nullish(),
  read: z.enum(['Y', 'N']).catch('N'),
});

/** `pull` `resync`: what was missed cannot be replayed; live events continue after `mid`. */
export const PullResyncCommandSchema = z.looseObject({ mid: z.string() });

/** `pull` `channel_expire`: reconnect (with `new_channel`) or fetch the config again. */
export const PullChannelExpireCommandSchema = z.looseObject({
  action: z.enum(['reconnect', 'get_config']).catch('get_config'),
  new_channel: z.looseObject({ id: z.string() }).optional().catch(undefined),
});
