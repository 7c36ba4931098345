import type { DialogId } from '../api/messenger-schemas.ts';

/**
 * Unsent text, kept per dialog: a half-written message stays with the chat it was meant for when
 * the reader switches to another chat (or, on a phone, goes back to the list), and never follows
 * them into it.
 */
export class Drafts {
  private readonly texts = new Map<DialogId, string>();

  get(dialogId: DialogId): string {
    return this.texts.get(dialogId) ?? '';
  }

  set(dialogId: DialogId, text: string): void {
    if (text.trim() === '') this.texts.delete(dialogId);
    else this.texts.set(dialogId, text);
  }
}
