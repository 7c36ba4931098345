import { z } from 'zod';
import { parsedCall } from '../../rest/parsed-call.ts';
import type { RestCaller } from '../../rest/rest-client.ts';
import { DialogIdSchema, DialogMessageSchema, DialogUserSchema } from '../api/messenger-schemas.ts';

/** Results a search page asks for. */
export const SEARCH_PAGE_SIZE = 20;

const FoundDialogSchema = z.looseObject({
  dialogId: DialogIdSchema,
  chatId: z.coerce.number().int(),
  title: z.string(),
});

export const MessageSearchPageSchema = z.looseObject({
  messages: z.array(DialogMessageSchema),
  users: z.array(DialogUserSchema).default([]),
  /** Each found message's dialog by chat id (searches of every chat only). */
  dialogs: z.record(z.string(), FoundDialogSchema).default({}),
  hasNextPage: z.boolean().default(false),
});
export type MessageSearchPage = z.infer<typeof MessageSearchPageSchema>;

/**
 * The messenger's searches: in one chat (`im.dialog.messages.search`, as documented) or in
 * every chat of the reader (`im.search.message.list`, this server's own). Best match first.
 */
export class MessageSearchApi {
  constructor(private readonly rest: RestCaller) {}

  /** `chatId` null: every chat the reader is in. */
  search(chatId: number | null, text: string, offset = 0): Promise<MessageSearchPage> {
    const page = { SEARCH_MESSAGE: text, LIMIT: SEARCH_PAGE_SIZE, OFFSET: offset };
    return chatId === null
      ? parsedCall(this.rest, MessageSearchPageSchema, 'im.search.message.list', page)
      : parsedCall(this.rest, MessageSearchPageSchema, 'im.dialog.messages.search', { CHAT_ID: chatId, ...page });
  }
}
