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
