export interface ComposerKey {
  key: string;
  shiftKey: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** True while an input method (Chinese, Japanese…) is composing: Enter confirms the word. */
  isComposing?: boolean;
}

/** Enter sends, Shift+Enter breaks the line; Enter that ends an IME composition does neither. */
export function composerKeyAction(event: ComposerKey): 'send' | 'newline' | 'none' {
  if (event.key !== 'Enter' || event.isComposing) return 'none';
  if (event.shiftKey) return 'newline';
  if (event.altKey) return 'none';
  return 'send';
}

/** What is worth sending: the text without surrounding blank space, or null for nothing. */
export function messageToSend(draft: string): string | null {
  const text = draft.trim();
  return text === '' ? null : text;
}

/**
 * Editing from the keyboard, as in Bitrix24 and Slack: Up in an empty box edits the reader's last
 * message; Escape stops editing and gives the box back to the unsent draft.
 */
export function composerEditKey(
  event: ComposerKey,
  state: { draftEmpty: boolean; editing: boolean },
): 'edit-last' | 'cancel-edit' | 'none' {
  if (event.isComposing || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return 'none';
  if (event.key === 'Escape' && state.editing) return 'cancel-edit';
  if (event.key === 'ArrowUp' && state.draftEmpty && !state.editing) return 'edit-last';
  return 'none';
}
