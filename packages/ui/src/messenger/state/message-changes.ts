import type { DialogId, DialogMessage, MessageFlags, RecentItem } from '../api/messenger-schemas.ts';
import type { DialogHistory } from './dialog-history.ts';

/** A message edited or deleted, here or on another device (`messageUpdate`, `messageDelete`). */
export interface MessageChange {
  dialogId: DialogId;
  messageId: number;
  text: string;
  params: MessageFlags;
  /** A deletion: the reader's unread counter of the dialog afterwards. */
  counter?: number;
}

export const isEdited = (message: DialogMessage): boolean => message.params?.IS_EDITED === 'Y';
export const isDeleted = (message: DialogMessage): boolean => message.params?.IS_DELETED === 'Y';
/** A message of files only whose files were all deleted since (its `FILE_ID` is left empty). */
export const lostItsFiles = (message: DialogMessage): boolean =>
  !message.text && !message.files?.length && message.params?.FILE_ID?.length === 0;

/** The reader may edit and delete their own messages while they are not deleted. */
export function isChangeableBy(message: DialogMessage, readerId: number): boolean {
  return message.author_id === readerId && !isDeleted(message);
}

/** The loaded copy of the message takes the change; a message not loaded stays unloaded. */
export function withChangedMessage(history: DialogHistory, change: MessageChange): DialogHistory {
  if (!history.messages.some((m) => m.id === change.messageId)) return history;
  return {
    ...history,
    messages: history.messages.map((m) =>
      // Flags only ever get set, so the change's are laid over what the message had.
      m.id === change.messageId ? { ...m, text: change.text, params: { ...m.params, ...change.params } } : m,
    ),
  };
}

/** Params of a message changed without an edit (`messageParamsUpdate`): only those sent. */
export interface MessageParamsChange {
  dialogId: DialogId;
  messageId: number;
  params: MessageFlags;
}

/** The loaded copy takes the params; a file no longer in `FILE_ID` leaves the message at once. */
export function withChangedParams(history: DialogHistory, change: MessageParamsChange): DialogHistory {
  if (!history.messages.some((m) => m.id === change.messageId)) return history;
  const kept = change.params.FILE_ID;
  return {
    ...history,
    messages: history.messages.map((m) => {
      if (m.id !== change.messageId) return m;
      const files = kept && m.files ? m.files.filter((file) => kept.includes(file.id)) : m.files;
      return { ...m, params: { ...m.params, ...change.params }, ...(files ? { files } : {}) };
    }),
  };
}

/** The list's preview of that message shows only the files it keeps. */
export function withChangedPreviewParams(items: RecentItem[], change: MessageParamsChange): RecentItem[] {
  const kept = change.params.FILE_ID;
  if (!kept) return items;
  return items.map((item) => {
    const message = item.message;
    if (item.id !== change.dialogId || message?.id !== change.messageId) return item;
    const files = Array.isArray(message.files)
      ? message.files.filter((file: { id: number }) => kept.includes(file.id))
      : [];
    return { ...item, message: { ...message, files, file: files.length > 0 } };
  });
}

/** The list's preview follows a change to the dialog's last message; a deletion may lower the count. */
export function withChangedPreview(items: RecentItem[], change: MessageChange): RecentItem[] {
  return items.map((item) => {
    if (item.id !== change.dialogId) return item;
    const message = item.message?.id === change.messageId ? { ...item.message, text: change.text } : item.message;
    return { ...item, message, ...(change.counter === undefined ? {} : { counter: change.counter }) };
  });
}

/** The newest message the reader can still edit (the composer's Up arrow). */
export function lastChangeable(history: DialogHistory | undefined, readerId: number): DialogMessage | undefined {
  return history?.messages.findLast((m) => isChangeableBy(m, readerId));
}
