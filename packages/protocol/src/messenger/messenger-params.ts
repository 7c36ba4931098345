import { z } from 'zod';
import { restInt } from '../rest/rest-params.ts';

/**
 * Parameter schemas of the messenger (`im.*`) REST methods, named and shaped as the Bitrix24
 * docs name them. Fields whose absence or bad form has a documented error code of its own
 * (`DIALOG_ID_EMPTY`, `MESSAGE_ID_ERROR`, `CHAT_ID_EMPTY`, …) are accepted loosely here and
 * checked by the method, so that the caller gets that documented code.
 */
const loose = z.unknown().optional();
const flag = z.string().optional();

export const imMessageAddParams = z.looseObject({
  DIALOG_ID: loose,
  MESSAGE: loose,
  ATTACH: loose,
  KEYBOARD: loose,
  MENU: loose,
  SYSTEM: flag,
  URL_PREVIEW: flag,
  REPLY_ID: loose,
  /** The client's id of this send; a retry with the same id is answered with the same message. */
  UUID: loose,
  /** The name Bitrix24 web clients use for the same thing. */
  TEMPLATE_ID: loose,
});

export const imMessageUpdateParams = z.looseObject({
  MESSAGE_ID: loose,
  MESSAGE: loose,
  ATTACH: loose,
  KEYBOARD: loose,
  MENU: loose,
  URL_PREVIEW: flag,
  IS_EDITED: flag,
});

export const imMessageDeleteParams = z.looseObject({ MESSAGE_ID: loose });

/** `im.message.forward`: the message (`MESSAGE_ID`) to forward into the dialog `DIALOG_ID`. */
export const imMessageForwardParams = z.looseObject({ MESSAGE_ID: loose, DIALOG_ID: loose });

export const imDialogMessagesGetParams = z.looseObject({
  DIALOG_ID: loose,
  LAST_ID: loose,
  FIRST_ID: loose,
  LIMIT: loose,
});

export const imDialogReadParams = z.looseObject({ DIALOG_ID: loose, MESSAGE_ID: loose });
export const imDialogWritingParams = z.looseObject({ DIALOG_ID: loose });

export const imRecentGetParams = z.looseObject({
  SKIP_OPENLINES: flag,
  SKIP_CHAT: flag,
  SKIP_DIALOG: flag,
  LAST_UPDATE: z.string().optional(),
  ONLY_OPENLINES: flag,
  LAST_SYNC_DATE: z.string().optional(),
});

export const imRecentListParams = z.looseObject({
  SKIP_OPENLINES: flag,
  SKIP_CHAT: flag,
  SKIP_DIALOG: flag,
  UNREAD_ONLY: flag,
  LAST_MESSAGE_DATE: z.string().optional(),
  OFFSET: restInt.min(0).default(0),
  LIMIT: restInt.min(1).default(50),
});

export const imChatAddParams = z.looseObject({
  USERS: loose,
  TYPE: z.enum(['CHAT', 'OPEN']).default('CHAT'),
  TITLE: z.string().max(255).optional(),
  DESCRIPTION: z.string().max(4000).optional(),
  COLOR: z.string().optional(),
  MESSAGE: z.string().optional(),
  AVATAR: z.string().optional(),
  ENTITY_TYPE: z.string().max(50).optional(),
  ENTITY_ID: z.string().max(255).optional(),
});

export const imChatGetParams = z.looseObject({ ENTITY_TYPE: loose, ENTITY_ID: loose });
export const imChatUserAddParams = z.looseObject({ CHAT_ID: loose, USERS: loose, HIDE_HISTORY: flag });
export const imChatUserListParams = z.looseObject({ CHAT_ID: loose });
export const imChatLeaveParams = z.looseObject({ CHAT_ID: loose });
/** `im.recent.pin`: `PIN` is `Y` (the default) or `N`. */
export const imRecentPinParams = z.looseObject({ DIALOG_ID: loose, PIN: loose });
/** `im.chat.mute`: `MUTE` is `Y` or `N`. */
export const imChatMuteParams = z.looseObject({ CHAT_ID: loose, MUTE: loose });
export const imChatUserDeleteParams = z.looseObject({ CHAT_ID: loose, USER_ID: loose });
export const imDialogUsersListParams = z.looseObject({ DIALOG_ID: loose });

export const imNotifyAddParams = z.looseObject({
  USER_ID: loose,
  MESSAGE: loose,
  MESSAGE_OUT: z.string().optional(),
  TAG: z.string().max(255).optional(),
  SUB_TAG: z.string().max(255).optional(),
  ATTACH: loose,
  CLIENT_ID: z.string().max(128).optional(),
});

export const imNotifyReadParams = z.looseObject({
  ID: restInt.optional(),
  ACTION: flag,
  ONLY_CURRENT: flag,
});

export const imNotifyGetParams = z.looseObject({
  LAST_ID: loose,
  LAST_TYPE: loose,
  LIMIT: loose,
  CONVERT_TEXT: flag,
});

export const imUserGetParams = z.looseObject({ ID: loose, AVATAR_HR: flag });
export const imUserListGetParams = z.looseObject({ ID: loose, AVATAR_HR: flag });
export const imNoParams = z.looseObject({});
