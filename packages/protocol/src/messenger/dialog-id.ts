/**
 * A Bitrix24 dialog id: a user id (`"15"` or `15`) for a one-to-one dialog, or `chat<N>` for a
 * group chat.
 */
export type DialogRef = { kind: 'user'; userId: number } | { kind: 'chat'; chatId: number };

const MAX_ID = 2_147_483_647;

/** Reads a dialog id; `null` when it is neither a positive user id nor `chat<N>`. */
export function parseDialogId(value: unknown): DialogRef | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const chat = /^chat(\d{1,10})$/i.exec(text);
  if (chat) {
    const chatId = Number(chat[1]);
    return chatId > 0 && chatId <= MAX_ID ? { kind: 'chat', chatId } : null;
  }
  if (/^\d{1,10}$/.test(text)) {
    const userId = Number(text);
    return userId > 0 && userId <= MAX_ID ? { kind: 'user', userId } : null;
  }
  return null;
}

export function chatDialogId(chatId: number): string {
  return `chat${chatId}`;
}
