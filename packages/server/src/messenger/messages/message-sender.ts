import type { ImUserView } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { EventLog } from '../../realtime/event-log.ts';
import type { Database } from '../../storage/database.ts';
import type { Chat } from '../chats/chat.ts';
import type { ChatDirectory } from '../chats/chat-directory.ts';
import { imError } from '../messenger-error.ts';
import type { MessagePoster } from './message-poster.ts';
import type { SendRateLimiter } from './send-rate-limiter.ts';

export interface SendRequest {
  portalId: number;
  authorId: number;
  chat: Chat;
  companionId: number | null;
  text: string;
  params: Record<string, unknown>;
  replyId: number | null;
  uuid: string | null;
  system: boolean;
  /** The author (and the other side of a dialog), as the message event describes them. */
  users: readonly ImUserView[];
}

/** Thrown inside the transaction to undo a send that turned out to repeat an earlier one. */
class RepeatedSend extends Error {}

/**
 * Sends a user's message: rate limit, one transaction with the message and its events, then the
 * events are announced. The id is returned only after the commit, so an acknowledged message is
 * durable. A retried send (same author and uuid) gets the first send's id and changes nothing.
 */
export class MessageSender {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventLog,
    private readonly poster: MessagePoster,
    private readonly directory: ChatDirectory,
    private readonly rateLimiter: SendRateLimiter,
  ) {}

  async send(request: SendRequest): Promise<number> {
    await this.rateLimiter.consume(request.portalId, request.authorId);
    if (request.replyId !== null) await this.checkReply(request.chat, request.replyId);
    try {
      const outcome = await this.db.transaction(async (tx) => {
        const result = await this.poster.post(tx, {
          chat: request.chat,
          authorId: request.authorId,
          companionId: request.companionId,
          text: request.text,
          params: request.params,
          replyId: request.replyId,
          uuid: request.uuid,
          system: request.system,
          countsAsUnread: true,
          date: this.clock.now(),
          users: request.users,
        });
        if (result.kind === 'duplicate') throw new RepeatedSend();
        return result;
      });
      for (const recorded of outcome.recorded) this.events.announce(recorded);
      return outcome.message.id;
    } catch (error) {
      if (!(error instanceof RepeatedSend) || request.uuid === null) throw error;
      const earlier = await this.findByUuid(request.authorId, request.uuid);
      if (earlier === null) throw error;
      return earlier;
    }
  }

  /** The chat of a one-to-one dialog, created on its first message. */
  async chatForUserDialog(portalId: number, authorId: number, companionId: number) {
    const chatId = await this.directory.ensurePrivateChat(portalId, authorId, companionId);
    return this.directory.openChat(portalId, authorId, chatId, this.db, true);
  }

  private async findByUuid(authorId: number, uuid: string): Promise<number | null> {
    const [row] = await this.db.query<{ id: number }>('SELECT id FROM im_messages WHERE author_id = $1 AND uuid = $2', [
      authorId,
      uuid,
    ]);
    return row ? Number(row.id) : null;
  }

  private async checkReply(chat: Chat, replyId: number): Promise<void> {
    const [row] = await this.db.query<{ chat_id: number }>(
      'SELECT chat_id FROM im_messages WHERE id = $1 AND portal_id = $2',
      [replyId, chat.portalId],
    );
    if (!row) throw imError('REPLY_ACCESS_ERROR', 'Action unavailable');
    if (row.chat_id !== chat.id) {
      throw imError('REPLY_FROM_OTHER_CHAT_ERROR', 'You can only reply to a message within the same chat');
    }
  }
}
