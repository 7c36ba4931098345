import { ImChatMuteCommandSchema } from '@portaldesk/protocol';
import { z } from 'zod';

const RECENT_CHATS_PAGE = 200;

const recentChatsSchema = z.object({
  items: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      chat: z.object({ mute_list: z.array(z.number()).catch([]) }).optional(),
    }),
  ),
});

/**
 * The group chats an account's user muted (`im.chat.mute`): their messages still count but raise
 * no notification. Read from the user's chat list when the account connects, then kept by the
 * `chatMuteNotify` events of the user's own devices.
 */
export class MutedChats {
  private readonly dialogIds = new Set<string>();

  has(dialogId: string): boolean {
    return this.dialogIds.has(dialogId);
  }

  /** Reads which of the user's group chats are muted; a failure leaves the set as it was. */
  async load(call: (method: string, params: Record<string, unknown>) => Promise<unknown>, userId: number) {
    const parsed = recentChatsSchema.safeParse(
      await call('im.recent.list', { SKIP_DIALOG: 'Y', LIMIT: RECENT_CHATS_PAGE }).catch(() => null),
    );
    if (!parsed.success) return;
    this.dialogIds.clear();
    for (const item of parsed.data.items) if (item.chat?.mute_list.includes(userId)) this.dialogIds.add(item.id);
  }

  /** A realtime `im` command: `chatMuteNotify` changes the set. */
  heard(command: string, params: unknown): void {
    if (command !== 'chatMuteNotify') return;
    const parsed = ImChatMuteCommandSchema.safeParse(params);
    if (!parsed.success) return;
    if (parsed.data.muted) this.dialogIds.add(parsed.data.dialogId);
    else this.dialogIds.delete(parsed.data.dialogId);
  }
}
