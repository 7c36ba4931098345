import type { EventLog } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Queryable } from '../../storage/database.ts';
import { dialogIdForMember } from '../chats/chat.ts';

/**
 * A change to a message's params that is not its author's edit — the files left on it after one
 * was deleted from the chat's folder. Stored, and told to every member as Bitrix24 tells it:
 * `messageParamsUpdate` with the message's id, chat and the params that changed.
 */
export class MessageParamsUpdates {
  constructor(private readonly events: EventLog) {}

  /** Lays `changed` over the message's params inside `tx`; announce the result after commit. */
  async set(
    tx: Queryable,
    portalId: number,
    messageId: number,
    changed: Record<string, unknown>,
  ): Promise<RecordedEvents> {
    const [message] = await tx.query<{ chat_id: number; chat_type: string }>(
      `UPDATE im_messages msg SET params = msg.params || $3::jsonb FROM im_chats c
       WHERE msg.id = $1 AND msg.portal_id = $2 AND c.id = msg.chat_id AND msg.deleted_at IS NULL
       RETURNING msg.chat_id, c.type AS chat_type`,
      [messageId, portalId, JSON.stringify(changed)],
    );
    if (!message) return { portalId, entries: [] };
    const members = await tx.query<{ user_id: number }>('SELECT user_id FROM im_chat_members WHERE chat_id = $1', [
      message.chat_id,
    ]);
    const memberIds = members.map((m) => m.user_id);
    const chat = { id: message.chat_id, type: message.chat_type };
    const perUser = new Map<number, Record<string, unknown>>();
    for (const memberId of memberIds) {
      perUser.set(memberId, {
        id: messageId,
        type: chat.type === 'P' ? 'private' : 'chat',
        chatId: chat.id,
        dialogId: dialogIdForMember(chat, memberIds, memberId),
        params: changed,
      });
    }
    return this.events.recordEach(tx, portalId, 'im', 'messageParamsUpdate', perUser);
  }

  announce(recorded: RecordedEvents): void {
    this.events.announce(recorded);
  }
}
