import type { ImFileView, ImUserView } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { Database } from '../../storage/database.ts';
import type { Chat } from '../chats/chat.ts';
import type { ChatDirectory } from '../chats/chat-directory.ts';
import { imError } from '../messenger-error.ts';
import type { MessageGroupCommit } from './message-group-commit.ts';
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
  /** Files posted with the message (`im.disk.file.commit`); its event lists them. */
  files?: readonly ImFileView[];
}

/**
 * Sends a user's message: rate limit, then the group commit writes it with its events in a
 * transaction and announces them. The id is returned only after the commit, so an acknowledged
 * message is durable. A retried send (same author and uuid) gets the first send's id and changes
 * nothing.
 */
export class MessageSender {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly groupCommit: MessageGroupCommit,
    private readonly directory: ChatDirectory,
    private readonly rateLimiter: SendRateLimiter,
  ) {}

  async send(request: SendRequest): Promise<number> {
    await this.rateLimiter.consume(request.portalId, request.authorId);
    if (request.replyId !== null) await this.checkReply(request.chat, request.replyId);
    const outcome = await this.groupCommit.post({
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
      ...(request.files ? { files: request.files } : {}),
    });
    if (outcome.kind === 'posted') return outcome.message.id;
    const earlier = request.uuid === null ? null : await this.findByUuid(request.authorId, request.uuid);
    if (earlier === null) throw new Error(`A send to chat ${request.chat.id} was taken for a repeat but has none`);
    return earlier;
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
