import { z } from 'zod';

/**
 * People's photos and chats' pictures: `user.update` (`ID`, `PERSONAL_PHOTO` as `[name, base64]`,
 * or empty to remove it) and `im.chat.updateAvatar` (`CHAT_ID`, `AVATAR` as base64), and the
 * realtime `chatAvatar` event that tells a chat's members its new picture.
 */
const loose = z.unknown().optional();

export const userUpdateParams = z.looseObject({ ID: loose, PERSONAL_PHOTO: loose });

export const imChatUpdateAvatarParams = z.looseObject({ CHAT_ID: loose, AVATAR: loose });

export interface ImChatAvatarEventParams {
  chatId: number;
  dialogId: string;
  /** The picture's address on this portal, empty when the chat has none. */
  avatar: string;
}

/** A person's photo or a chat's picture on its portal: `/photo/<user|chat>/<id>/<key>`. */
export const PHOTO_ADDRESS = /^\/photo\/(user|chat)\/\d{1,10}\/[A-Za-z0-9_-]{1,64}(\.png)?$/;
