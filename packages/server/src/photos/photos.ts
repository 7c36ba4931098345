import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { BlobStore } from '../files/blob-store.ts';
import { lockBodies, removeUnusedBodies } from '../files/body-usage.ts';
import { digestOfFile } from '../files/file-digest.ts';
import { inspectFile, makeSquarePicture } from '../files/file-inspection.ts';
import { readableSize } from '../files/file-refusal.ts';
import { loadSharp } from '../files/image-libraries.ts';
import { receiveBody } from '../files/incoming-body.ts';
import type { ChatDirectory } from '../messenger/chats/chat-directory.ts';
import type { ChatMembership } from '../messenger/chats/chat-membership.ts';
import { imError } from '../messenger/messenger-error.ts';
import { RestError } from '../rest/rest-error.ts';
import { randomToken } from '../secrets/random-secret.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import type { Database } from '../storage/database.ts';

export interface PhotoSettings {
  /** The stored picture's side, in pixels (square). */
  side: number;
  /** Pictures of more pixels are refused from their header, before decoding (Bitrix24: 5000 × 5000). */
  maxPixels: number;
  /** Largest picture accepted, in bytes. */
  sizeLimit: number;
}

export const DEFAULT_PHOTO_SETTINGS: PhotoSettings = { side: 256, maxPixels: 25_000_000, sizeLimit: 20 * 1024 * 1024 };

interface StoredPicture {
  sha256: string;
  key: string;
}

/**
 * People's photos and group chats' pictures. A picture sent is decoded whole and re-encoded as a
 * small square WebP (nothing of the original but its pixels is kept), stored in the blob store by
 * its digest, and named by a fresh random key. Anything that is not a whole picture of an
 * acceptable size is refused with `AVATAR_ERROR` and changes nothing.
 */
export class Photos {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly directory: ChatDirectory,
    private readonly membership: ChatMembership,
    readonly settings: PhotoSettings,
  ) {}

  /** Sets the user's photo (base64 of a picture), or removes it with null. */
  async setUserPhoto(portalId: number, userId: number, base64: string | null): Promise<void> {
    const picture = base64 === null ? null : await this.storePicture(base64);
    const [before] = await this.db.query<{ photo_sha256: string | null }>(
      `UPDATE users u SET photo_sha256 = $3, photo_key = $4
       FROM (SELECT id, photo_sha256 FROM users WHERE id = $1 AND portal_id = $2 FOR UPDATE) old
       WHERE u.id = old.id RETURNING old.photo_sha256`,
      [userId, portalId, picture?.sha256 ?? null, picture?.key ?? null],
    );
    await removeUnusedBodies(this.db, this.blobs, [before?.photo_sha256 ?? null]);
  }

  /**
   * Sets a group chat's picture: any member may (Bitrix24's default "who may change the look");
   * a one-to-one dialog has none of its own.
   */
  async setChatAvatar(portalId: number, userId: number, chatId: number, base64: string): Promise<void> {
    const opened = await this.directory.openChat(portalId, userId, chatId, this.db, true);
    if (!opened?.chat) throw imError('WRONG_REQUEST', "Chat doesn't exist");
    if (!opened.member) throw imError('ACCESS_DENIED', 'Only members of the chat may change its picture');
    if (opened.chat.type === 'P') throw imError('ACCESS_ERROR', 'The avatar of this chat cannot be changed');
    const picture = await this.storePicture(base64);
    const previous = await this.membership.changeAvatar(opened.chat, userId, picture);
    if (previous !== picture.sha256) await removeUnusedBodies(this.db, this.blobs, [previous]);
  }

  /** Administrators may change anyone's photo. */
  async isAdmin(portalId: number, userId: number): Promise<boolean> {
    const [row] = await this.db.query<{ is_admin: boolean }>(
      'SELECT is_admin FROM users WHERE id = $1 AND portal_id = $2 AND active',
      [userId, portalId],
    );
    return row?.is_admin === true;
  }

  /** The body of a user's photo if `key` names their current one and the viewer is of the same portal. */
  async userPhoto(portalId: number, userId: number, key: string): Promise<string | null> {
    const [row] = await this.db.query<{ photo_sha256: string | null; photo_key: string | null }>(
      'SELECT photo_sha256, photo_key FROM users WHERE id = $1 AND portal_id = $2',
      [userId, portalId],
    );
    return row?.photo_key && row.photo_sha256 && secretsEqual(key, row.photo_key) ? row.photo_sha256 : null;
  }

  /** The body of a chat's picture for a viewer who may see the chat: a member, or anyone of the portal for an open chat. */
  async chatAvatar(portalId: number, viewerId: number, chatId: number, key: string): Promise<string | null> {
    const [row] = await this.db.query<{ avatar_sha256: string | null; avatar_key: string | null }>(
      `SELECT c.avatar_sha256, c.avatar_key FROM im_chats c
       WHERE c.id = $1 AND c.portal_id = $2
         AND (c.type = 'O' OR EXISTS (SELECT 1 FROM im_chat_members m WHERE m.chat_id = c.id AND m.user_id = $3))`,
      [chatId, portalId, viewerId],
    );
    return row?.avatar_key && row.avatar_sha256 && secretsEqual(key, row.avatar_key) ? row.avatar_sha256 : null;
  }

  readBody(sha256: string) {
    return this.blobs.read(sha256);
  }

  /** A stored picture (our own small WebP) as PNG. */
  async asPng(body: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const sharp = await loadSharp();
    return sharp(Buffer.concat(chunks), { limitInputPixels: this.settings.side * this.settings.side })
      .png()
      .toBuffer();
  }

  /** Checks, re-encodes and stores a picture; the received bytes are removed whatever happens. */
  private async storePicture(base64: string): Promise<StoredPicture> {
    const clean = base64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
    if (clean === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
      throw avatarError('Avatar incorrect type: send the picture as Base64');
    }
    const limit = this.settings.sizeLimit;
    if (Math.floor((clean.length * 3) / 4) > limit + 3) {
      throw avatarError(`Avatar incorrect size: the picture is larger than ${readableSize(limit)}`);
    }
    const body = await receiveBody(Readable.from([Buffer.from(clean, 'base64')]), this.blobs.incomingDir, limit);
    const squarePath = `${body.path}.square`;
    try {
      const limits = { maxPixels: this.settings.maxPixels, previewSide: this.settings.side };
      const inspected = await inspectFile(body.path, 'picture', limits).catch(asAvatarError);
      if (!inspected.image)
        throw avatarError('Avatar incorrect type: the file is not a PNG, JPEG, GIF or WebP picture');
      await makeSquarePicture(body.path, squarePath, this.settings.side, this.settings.maxPixels).catch(asAvatarError);
      const square = await digestOfFile(squarePath);
      await this.db.transaction(async (tx) => {
        // Held until commit, so that a removal running now never takes a body about to be used.
        await lockBodies(tx, [square.sha256]);
        await this.blobs.put(square.sha256, squarePath, square.size);
      });
      return { sha256: square.sha256, key: randomToken(24) };
    } finally {
      await body.discard();
      await rm(squarePath, { force: true });
    }
  }
}

function avatarError(description: string): RestError {
  return new RestError('AVATAR_ERROR', description, 400);
}

/** The file refusals (unreadable, too many pixels) in the documented code of these methods. */
function asAvatarError(error: unknown): never {
  if (error instanceof RestError) throw avatarError(error.description);
  throw error;
}
