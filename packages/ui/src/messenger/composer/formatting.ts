import type { Editor } from '@tiptap/core';

/** What the toolbar and the shortcuts do to the text; each is written out as BB-code when sent. */
export type FormattingAction = 'bold' | 'italic' | 'underline' | 'strike' | 'code' | 'quote';

export interface FormattingKey {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
}

/** The shortcut of each action, as its button's title names it. */
export const FORMATTING_SHORTCUTS: Record<FormattingAction, string> = {
  bold: 'Ctrl+B',
  italic: 'Ctrl+I',
  underline: 'Ctrl+U',
  strike: 'Ctrl+Shift+X',
  code: 'Ctrl+E',
  quote: 'Ctrl+Shift+9',
};

/**
 * The formatting a key press asks for (Cmd on a Mac). Bold, italic and underline are everyone's;
 * strike-through, code and quote follow Slack and Google Docs (Ctrl+Shift+X, Ctrl+E,
 * Ctrl+Shift+9); the editor's own Ctrl+Shift+S and Ctrl+Shift+B keep working too. Matched on the
 * physical key where a layout gives it another letter, so Ctrl+B is bold on every keyboard.
 */
export function formattingForKey(event: FormattingKey): FormattingAction | null {
  if (event.isComposing || event.altKey || !(event.ctrlKey || event.metaKey)) return null;
  const letter = event.code?.startsWith('Key') ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
  if (!event.shiftKey) {
    return ({ b: 'bold', i: 'italic', u: 'underline', e: 'code' } as const)[letter] ?? null;
  }
  if (letter === 'x') return 'strike';
  if (event.code === 'Digit9' || event.key === '(' || event.key === '9') return 'quote';
  return null;
}

/** Turns the action on or off for the selection (or for what is typed next). */
export function toggleFormatting(editor: Editor, action: FormattingAction): void {
  const chain = editor.chain().focus();
  if (action === 'quote') chain.toggleBlockquote().run();
  else chain.toggleMark(action).run();
}

export function isFormattingActive(editor: Editor, action: FormattingAction): boolean {
  return editor.isActive(action === 'quote' ? 'blockquote' : action);
}
