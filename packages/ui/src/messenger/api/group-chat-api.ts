import { z } from 'zod';
import { parsedCall } from '../../rest/parsed-call.ts';
import type { RestCaller } from '../../rest/rest-client.ts';
import type { DialogId } from './messenger-schemas.ts';

const Id = z.coerce.number().int();

/** A member of a chat as `im.dialog.users.list` answers (the `im.user.get` shape). */
export const ChatMemberSchema = z.looseObject({
  id: Id,
  name: z.string().default(''),
  avatar: z.string().default(''),
  color: z.string().default(''),
  work_position: z.string().default(''),
  bot: z.boolean().default(false),
});
export type ChatMember = z.infer<typeof ChatMemberSchema>;

/** A colleague to pick, from `user.get`. */
export const PortalUserSchema = z
  .looseObject({
    ID: Id,
    NAME: z.string().default(''),
    LAST_NAME: z.string().default(''),
    PERSONAL_PHOTO: z.string().optional(),
    WORK_POSITION: z.string().optional(),
  })
  .transform((u) => ({
    id: u.ID,
    name: `${u.NAME} ${u.LAST_NAME}`.trim() || `User ${u.ID}`,
    avatar: u.PERSONAL_PHOTO ?? '',
    position: u.WORK_POSITION ?? '',
  }));
export type PortalUser = z.output<typeof PortalUserSchema>;

/** Colleagues offered in the picker: enough for a team's portal; the filter box narrows them. */
const MAX_PICKABLE_USERS = 500;

/** Group chats by their documented Bitrix24 methods: create, members, add, remove, leave. */
export class GroupChatApi {
  constructor(private readonly rest: RestCaller) {}

  /** Creates a closed group chat with the caller as its owner; answers its dialog id. */
  async create(title: string, userIds: number[]): Promise<DialogId> {
    const chatId = await this.rest.call('im.chat.add', { TYPE: 'CHAT', TITLE: title, USERS: userIds });
    return `chat${Number(chatId)}`;
  }

  async members(dialogId: DialogId): Promise<ChatMember[]> {
    return parsedCall(this.rest, z.array(ChatMemberSchema), 'im.dialog.users.list', { DIALOG_ID: dialogId });
  }

  /** New members see what is written from now on (Bitrix24's default). */
  async add(dialogId: DialogId, userIds: number[]): Promise<void> {
    await this.rest.call('im.chat.user.add', { CHAT_ID: chatIdOf(dialogId), USERS: userIds });
  }

  async remove(dialogId: DialogId, userId: number): Promise<void> {
    await this.rest.call('im.chat.user.delete', { CHAT_ID: chatIdOf(dialogId), USER_ID: userId });
  }

  /** A new picture for the chat (Base64 of an image); members hear it as `chatAvatar`. */
  async updateAvatar(dialogId: DialogId, base64: string): Promise<void> {
    await this.rest.call('im.chat.updateAvatar', { CHAT_ID: chatIdOf(dialogId), AVATAR: base64 });
  }

  async leave(dialogId: DialogId): Promise<void> {
    await this.rest.call('im.chat.leave', { CHAT_ID: chatIdOf(dialogId) });
  }

  /** The portal's active users, a page of 50 at a time by id. */
  async colleagues(): Promise<PortalUser[]> {
    const users: PortalUser[] = [];
    for (let after = 0; users.length < MAX_PICKABLE_USERS; ) {
      const page = await parsedCall(this.rest, z.array(PortalUserSchema), 'user.get', {
        FILTER: { ACTIVE: true, '>ID': after },
        SORT: 'ID',
        ORDER: 'ASC',
        start: -1,
      });
      users.push(...page);
      const last = page[page.length - 1];
      if (page.length < 50 || !last) break;
      after = last.id;
    }
    return users;
  }
}

function chatIdOf(dialogId: DialogId): number {
  return Number(dialogId.replace(/^chat/, ''));
}
