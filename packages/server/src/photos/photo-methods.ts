import { imChatUpdateAvatarParams, userUpdateParams } from '@portaldesk/protocol';
import { readFileContent } from '../files/chat-file-methods.ts';
import { imError } from '../messenger/messenger-error.ts';
import { readId } from '../messenger/param-readers.ts';
import { RestError } from '../rest/rest-error.ts';
import { type RestMethod, restMethod } from '../rest/rest-method.ts';
import type { Photos } from './photos.ts';

/** What `user.update` changes here; other fields are refused rather than silently ignored. */
const UPDATABLE_USER_FIELDS = new Set(['ID', 'PERSONAL_PHOTO']);

/** `user.update` (the person's photo) and `im.chat.updateAvatar` (a group chat's picture). */
export function photoMethods(photos: Photos): RestMethod[] {
  return [
    restMethod({
      name: 'user.update',
      scope: 'user',
      readOnly: false,
      params: userUpdateParams,
      handle: async ({ auth, params }) => {
        const userId = readId(params.ID);
        if (userId === null) throw new RestError('ERROR_ARGUMENT', 'ID is required');
        // As on Bitrix24: a person changes their own profile; an administrator anyone's.
        if (userId !== auth.userId && !(await photos.isAdmin(auth.portal.id, auth.userId))) {
          throw new RestError('ACCESS_DENIED', 'You may change only your own profile', 403);
        }
        // User fields are upper case; lower-case keys are the call's own (`auth`, `sessid`).
        const other = Object.keys(params).filter((k) => k === k.toUpperCase() && !UPDATABLE_USER_FIELDS.has(k));
        if (other.length > 0) {
          throw new RestError('ERROR_ARGUMENT', `Only PERSONAL_PHOTO can be changed here, not ${other.join(', ')}`);
        }
        if (!('PERSONAL_PHOTO' in params))
          throw new RestError('ERROR_ARGUMENT', 'Nothing to change: give PERSONAL_PHOTO');
        await photos.setUserPhoto(auth.portal.id, userId, readPhoto(params.PERSONAL_PHOTO));
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.chat.updateAvatar',
      scope: 'im',
      readOnly: false,
      params: imChatUpdateAvatarParams,
      handle: async ({ auth, params }) => {
        const chatId = readId(params.CHAT_ID);
        if (chatId === null) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
        if (typeof params.AVATAR !== 'string' || params.AVATAR.trim() === '') {
          throw new RestError('AVATAR_ERROR', 'Avatar incorrect type: give AVATAR as a Base64 picture', 400);
        }
        await photos.setChatAvatar(auth.portal.id, auth.userId, chatId, params.AVATAR);
        return { result: true };
      },
    }),
  ];
}

/**
 * `PERSONAL_PHOTO`: a file as Bitrix24 takes one (`[name, base64]`), or nothing (empty, or
 * `{del: 'Y'}` / `{remove: 'Y'}`) to remove the photo.
 */
function readPhoto(value: unknown): string | null {
  if (value === '' || value === null || value === false) return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const fields = value as Record<string, unknown>;
    if (fields.del === 'Y' || fields.remove === 'Y') return null;
  }
  return readFileContent(value, 'PERSONAL_PHOTO')[1];
}
