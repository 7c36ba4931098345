import { rm } from 'node:fs/promises';
import type { DialogRef, ImFileView } from '@portaldesk/protocol';
import type { Clock } from '../clock/clock.ts';
import type { Chat } from '../messenger/chats/chat.ts';
import type { ChatDirectory } from '../messenger/chats/chat-directory.ts';
import type { MessageParamsUpdates } from '../messenger/messages/message-params-updates.ts';
import type { MessageSender } from '../messenger/messages/message-sender.ts';
import { imError } from '../messenger/messenger-error.ts';
import { imUserView } from '../messenger/users/im-user-view.ts';
import { RestError } from '../rest/rest-error.ts';
import { randomToken } from '../secrets/random-secret.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { Database } from '../storage/database.ts';
import type { BlobStore } from './blob-store.ts';
import { lockBodies, removeUnusedBodies } from './body-usage.ts';
import { CHAT_FILE_COLUMNS, type ChatFile, type ChatFileRow, toChatFile } from './chat-file.ts';
import { READABLE_BY } from './chat-file-access.ts';
import { checkFileName, uniqueNameInFolder } from './chat-file-names.ts';
import { digestOfFile } from './file-digest.ts';
import { type ImageLimits, inspectFile, makePreview } from './file-inspection.ts';
import type { IncomingBody } from './incoming-body.ts';
import type { MessageFiles } from './message-files.ts';

export interface ChatFileSettings {
  /** Largest file accepted, in bytes. */
  sizeLimit: number;
  image: ImageLimits;
  /** How long an upload address of the two-step form stays usable. */
  uploadAddressTtlMs: number;
}

/** A chat's folder, with the chat it belongs to. */
export interface ChatFolder {
  id: number;
  chatId: number;
}

/**
 * Files in chats: each chat's folder, uploads into it (which read the type from the bytes, make
 * an image's preview and store the body by its digest), posting uploaded files with a message,
 * deleting them, and who may fetch a file. A file not yet posted is its uploader's alone; a
 * posted one is every member's who may see its message.
 */
export class ChatFiles {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly blobs: BlobStore,
    private readonly directory: ChatDirectory,
    private readonly sender: MessageSender,
    private readonly paramsUpdates: MessageParamsUpdates,
    private readonly messageFiles: MessageFiles,
    readonly settings: ChatFileSettings,
  ) {}

  get incomingDir(): string {
    return this.blobs.incomingDir;
  }

  /** The folder of a chat the user is a member of (made on first use). */
  async folderOfChat(portalId: number, userId: number, ref: DialogRef): Promise<ChatFolder> {
    const chat = await this.memberChat(portalId, userId, ref, true);
    const [row] = await this.db.query<{ id: number }>(
      `INSERT INTO disk_chat_folders (portal_id, chat_id) VALUES ($1, $2)
       ON CONFLICT (chat_id) DO UPDATE SET chat_id = EXCLUDED.chat_id RETURNING id`,
      [portalId, chat.id],
    );
    if (!row) throw new Error('folder was not made');
    return { id: row.id, chatId: chat.id };
  }

  /** A folder the user may upload into: one of a chat they are a member of. */
  async folderForUpload(portalId: number, userId: number, folderId: number): Promise<ChatFolder> {
    const [row] = await this.db.query<{ id: number; chat_id: number }>(
      `SELECT f.id, f.chat_id FROM disk_chat_folders f
       JOIN im_chat_members m ON m.chat_id = f.chat_id AND m.user_id = $3
       WHERE f.id = $1 AND f.portal_id = $2`,
      [folderId, portalId, userId],
    );
    // One answer for "no such folder" and "not yours", so that ids cannot be probed.
    if (!row) throw new RestError('ERROR_NOT_FOUND', `Could not find entity with id '${folderId}'`);
    return { id: row.id, chatId: row.chat_id };
  }

  /** A single-use address the file may be sent to (the documented two-step form). */
  async issueUploadToken(portalId: number, userId: number, folder: ChatFolder, uniqueName: boolean): Promise<string> {
    const token = randomToken();
    const now = this.clock.now();
    await this.db.query(`DELETE FROM disk_upload_tokens WHERE expires_at < $1`, [now]);
    await this.db.query(
      `INSERT INTO disk_upload_tokens (token_digest, portal_id, user_id, folder_id, generate_unique_name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        digestSecret(token),
        portalId,
        userId,
        folder.id,
        uniqueName,
        new Date(now.getTime() + this.settings.uploadAddressTtlMs),
      ],
    );
    return token;
  }

  /**
   * Spends an upload token: who may upload where. The uploader must still be a member of the
   * folder's chat.
   */
  async redeemUploadToken(
    portalId: number,
    token: string,
  ): Promise<{ userId: number; folder: ChatFolder; uniqueName: boolean } | null> {
    const [row] = await this.db.query<{ user_id: number; folder_id: number; generate_unique_name: boolean }>(
      `DELETE FROM disk_upload_tokens WHERE token_digest = $1 AND portal_id = $2 AND expires_at > $3
       RETURNING user_id, folder_id, generate_unique_name`,
      [digestSecret(token), portalId, this.clock.now()],
    );
    if (!row) return null;
    const folder = await this.folderForUpload(portalId, row.user_id, row.folder_id);
    return { userId: row.user_id, folder, uniqueName: row.generate_unique_name };
  }

  /**
   * Takes a received body into the folder: checks it, makes an image's preview, stores both
   * bodies and records the file. The received file is removed whatever happens; on refusal
   * nothing is stored.
   */
  async upload(
    portalId: number,
    userId: number,
    folder: ChatFolder,
    name: string,
    body: IncomingBody,
    uniqueName: boolean,
  ): Promise<ChatFile> {
    const previewPath = `${body.path}.preview`;
    try {
      const cleanName = checkFileName(name);
      const inspected = await inspectFile(body.path, cleanName, this.settings.image);
      let preview: { sha256: string; size: number } | null = null;
      if (inspected.image) {
        await makePreview(body.path, previewPath, this.settings.image);
        preview = await digestOfFile(previewPath);
      }
      const finalName = uniqueName ? await uniqueNameInFolder(this.db, folder.id, cleanName) : cleanName;
      return await this.db.transaction(async (tx) => {
        // Held until commit, so that the clean-up never removes a body this file is about to use.
        await lockBodies(tx, [body.sha256, preview?.sha256]);
        await this.blobs.put(body.sha256, body.path, body.size);
        if (preview) await this.blobs.put(preview.sha256, previewPath, preview.size);
        const [row] = await tx.query<ChatFileRow>(
          `INSERT INTO disk_files AS f (portal_id, folder_id, chat_id, author_id, name, size, mime_type, content_sha256,
             width, height, preview_sha256, access_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${CHAT_FILE_COLUMNS}`,
          [
            portalId,
            folder.id,
            folder.chatId,
            userId,
            finalName,
            body.size,
            inspected.mimeType,
            body.sha256,
            inspected.image?.width ?? null,
            inspected.image?.height ?? null,
            preview?.sha256 ?? null,
            randomToken(24),
            this.clock.now(),
          ],
        );
        if (!row) throw new Error('file was not recorded');
        return toChatFile(row);
      });
    } finally {
      await body.discard();
      await rm(previewPath, { force: true });
    }
  }

  /**
   * Posts the user's uploaded files (and copies of files they may read elsewhere, `DISK_ID`)
   * into the chat with one message; its event carries the files.
   */
  async commit(
    portalId: number,
    userId: number,
    chatId: number,
    uploadIds: readonly number[],
    diskIds: readonly number[],
    text: string,
  ): Promise<number> {
    const chat = await this.memberChat(portalId, userId, { kind: 'chat', chatId }, true);
    const copies = await this.copyInto(portalId, userId, chat, diskIds);
    const ids = [...uploadIds, ...copies];
    // Marked as being posted (0), so that no second commit takes them; undone if the send fails.
    const claimed = await this.db.query<{ id: number }>(
      `UPDATE disk_files SET message_id = 0
       WHERE id = ANY($1::int[]) AND portal_id = $2 AND chat_id = $3 AND author_id = $4
         AND message_id IS NULL AND deleted_at IS NULL
       RETURNING id`,
      [ids, portalId, chat.id, userId],
    );
    if (claimed.length !== ids.length) {
      await this.release(claimed.map((c) => c.id));
      throw imError('FILES_ERROR', 'Some of the files do not exist, are not yours or were already sent');
    }
    try {
      const files = await this.filesById(portalId, ids);
      const sending = await this.dialogForSending(portalId, userId, chat);
      const messageId = await this.sender.send({
        portalId,
        authorId: userId,
        chat,
        companionId: sending.companionId,
        text,
        params: { FILE_ID: ids },
        replyId: null,
        uuid: null,
        system: false,
        users: sending.users,
        files,
      });
      await this.db.query('UPDATE disk_files SET message_id = $1 WHERE id = ANY($2::int[]) AND message_id = 0', [
        messageId,
        ids,
      ]);
      return messageId;
    } catch (error) {
      await this.release(ids);
      throw error;
    }
  }

  /** Removes a file from the chat: its uploader or the chat's owner may. */
  async delete(portalId: number, userId: number, chatId: number, fileId: number): Promise<void> {
    const chat = await this.memberChat(portalId, userId, { kind: 'chat', chatId }, true);
    const { row, recorded } = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{
        content_sha256: string;
        preview_sha256: string | null;
        message_id: string | null;
      }>(
        `UPDATE disk_files SET deleted_at = $5
         WHERE id = $1 AND portal_id = $2 AND chat_id = $3 AND deleted_at IS NULL
           AND (author_id = $4 OR $4 = (SELECT owner_id FROM im_chats WHERE id = $3))
         RETURNING content_sha256, preview_sha256, message_id`,
        [fileId, portalId, chat.id, userId, this.clock.now()],
      );
      if (!row) throw imError('FILE_ID_EMPTY', 'There is no such file of yours in this chat');
      if (row.message_id === null) return { row, recorded: undefined };
      // The message it was posted with keeps the files still there, and every member's open
      // history drops the deleted one at once.
      const left = await tx.query<{ id: number }>(
        'SELECT id FROM disk_files WHERE message_id = $1 AND deleted_at IS NULL ORDER BY id',
        [row.message_id],
      );
      const recorded = await this.paramsUpdates.set(tx, portalId, Number(row.message_id), {
        FILE_ID: left.map((file) => file.id),
      });
      return { row, recorded };
    });
    if (recorded) this.paramsUpdates.announce(recorded);
    await this.removeUnusedBodies([row.content_sha256, row.preview_sha256]);
  }

  /**
   * A file as its address names it, if this user may fetch it now: the key must match, and the
   * user must be its uploader (not yet posted) or a member of its chat who may see its message.
   */
  async openForReading(portalId: number, userId: number, fileId: number, accessKey: string): Promise<ChatFile | null> {
    const [row] = await this.db.query<ChatFileRow>(
      `SELECT ${CHAT_FILE_COLUMNS} FROM disk_files f
       WHERE f.id = $1 AND f.portal_id = $2 AND f.deleted_at IS NULL AND ${READABLE_BY('$3')}`,
      [fileId, portalId, userId],
    );
    return row && secretsEqual(accessKey, row.access_key) ? toChatFile(row) : null;
  }

  readBody(sha256: string) {
    return this.blobs.read(sha256);
  }

  /** Drops files uploaded and never posted before `olderThan`, and their bodies no other file uses. */
  async dropUncommitted(olderThan: Date): Promise<number> {
    const rows = await this.db.query<{ content_sha256: string; preview_sha256: string | null }>(
      `DELETE FROM disk_files WHERE message_id IS NULL AND deleted_at IS NULL AND created_at < $1
       RETURNING content_sha256, preview_sha256`,
      [olderThan],
    );
    await this.removeUnusedBodies(rows.flatMap((r) => [r.content_sha256, r.preview_sha256]));
    await this.db.query('DELETE FROM disk_upload_tokens WHERE expires_at < $1', [this.clock.now()]);
    return rows.length;
  }

  private removeUnusedBodies(digests: readonly (string | null)[]): Promise<void> {
    return removeUnusedBodies(this.db, this.blobs, digests);
  }

  private async release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query('UPDATE disk_files SET message_id = NULL WHERE id = ANY($1::int[]) AND message_id = 0', [ids]);
  }

  private async filesById(portalId: number, ids: readonly number[]): Promise<ImFileView[]> {
    const views = await this.messageFiles.ofIds(portalId, ids);
    return ids.map((id) => views.find((v) => v.id === id)).filter((v): v is ImFileView => v !== undefined);
  }

  /** New files in this chat's folder that share the bodies of files the user may read elsewhere. */
  private async copyInto(portalId: number, userId: number, chat: Chat, diskIds: readonly number[]): Promise<number[]> {
    if (diskIds.length === 0) return [];
    const folder = await this.folderOfChat(portalId, userId, { kind: 'chat', chatId: chat.id });
    const copies: number[] = [];
    for (const id of diskIds) {
      const [row] = await this.db.query<{ id: number }>(
        `INSERT INTO disk_files (portal_id, folder_id, chat_id, author_id, name, size, mime_type, content_sha256,
           width, height, preview_sha256, access_key, created_at)
         SELECT f.portal_id, $3, $4, $5, f.name, f.size, f.mime_type, f.content_sha256, f.width, f.height,
                f.preview_sha256, $6, $7
         FROM disk_files f
         WHERE f.id = $1 AND f.portal_id = $2 AND f.deleted_at IS NULL AND ${READABLE_BY('$5')}
         RETURNING id`,
        [id, portalId, folder.id, chat.id, userId, randomToken(24), this.clock.now()],
      );
      if (!row) throw imError('FILES_ERROR', `File ${id} does not exist or is not yours to send`);
      copies.push(row.id);
    }
    return copies;
  }

  private async memberChat(portalId: number, userId: number, ref: DialogRef, createDialog: boolean): Promise<Chat> {
    if (ref.kind === 'user') {
      const opened = await this.directory.open(portalId, userId, ref);
      if (!opened) throw imError('ACCESS_ERROR', 'You do not have access to this dialog');
      if (opened.chat && opened.member) return opened.chat;
      if (!createDialog || ref.userId === userId)
        throw imError('ACCESS_ERROR', 'You do not have access to this dialog');
      const created = await this.sender.chatForUserDialog(portalId, userId, ref.userId);
      if (!created?.chat) throw imError('ACCESS_ERROR', 'You do not have access to this dialog');
      return created.chat;
    }
    const opened = await this.directory.openChat(portalId, userId, ref.chatId, this.db, true);
    if (!opened?.chat || !opened.member) throw imError('ACCESS_ERROR', 'You do not have access to this dialog');
    return opened.chat;
  }

  /** Who the message event describes, and for a one-to-one dialog the other side. */
  private async dialogForSending(portalId: number, userId: number, chat: Chat) {
    let ref: DialogRef = { kind: 'chat', chatId: chat.id };
    if (chat.type === 'P') {
      const [other] = await this.db.query<{ user_id: number }>(
        'SELECT user_id FROM im_chat_members WHERE chat_id = $1 AND user_id <> $2 LIMIT 1',
        [chat.id, userId],
      );
      ref = { kind: 'user', userId: other?.user_id ?? userId };
    }
    const opened = await this.directory.openForSending(portalId, userId, ref);
    const users = [opened?.author, opened?.companion].filter((u) => u != null).map(imUserView);
    return { companionId: ref.kind === 'user' ? ref.userId : null, users };
  }
}
