import type { Editor, JSONContent } from '@tiptap/core';
import { closeHistory } from '@tiptap/pm/history';
import type { PortalUser } from '../api/group-chat-api.ts';
import type { MentionQuery } from '../state/draft-mentions.ts';
import { bbCodeToDocument, documentToBbCode } from './editor-document.ts';

/*
 * What the composer does with its editor (TipTap, through the kit's B24Editor): BB-code in and
 * out, the "@" word at the caret, chips, and pasting as plain text.
 */

/** What the composer asks of its box (ComposerEditor.vue exposes it). */
export interface ComposerBox {
  focus(at?: 'end' | null): void;
  /** Replaces what is in the box with this BB-code. */
  setText(text: string): void;
  text(): string;
  textBeforeCaret(): string | null;
  insertMention(at: MentionQuery, person: PortalUser): void;
}

/** Stands for a chip in the text before the caret, so that "@" after a chip is still at a word's start. */
const CHIP_TEXT = '\uFFFC';

/** The message the editor holds, as the BB-code it is sent as; '' when there is nothing in it. */
export function editorBbCode(editor: Editor): string {
  return editor.isEmpty ? '' : documentToBbCode(editor.getJSON());
}

/** Marks the changes the composer makes itself (not typing: nobody is told the reader types). */
export const SET_BY_COMPOSER = 'portaldesk-set-by-composer';

/** Puts BB-code into the editor (a message to edit, a draft), the caret at its end; undo goes back. */
export function setEditorBbCode(editor: Editor, text: string): void {
  editor
    .chain()
    .command(({ tr }) => {
      tr.setMeta(SET_BY_COMPOSER, true);
      return true;
    })
    .setContent(bbCodeToDocument(text), { emitUpdate: true })
    .focus('end')
    .run();
}

/** The caret's line up to the caret, chips as one character; null while text is selected. */
export function textBeforeCaret(editor: Editor): string | null {
  const { empty, $from } = editor.state.selection;
  if (!empty) return null;
  return $from.parent.textBetween(0, $from.parentOffset, '\n', CHIP_TEXT);
}

/** Replaces the "@query" before the caret with a chip of the person, and a space after it. */
export function insertMention(editor: Editor, at: MentionQuery, person: PortalUser): void {
  const to = editor.state.selection.from;
  const from = to - at.query.length - 1;
  editor
    .chain()
    .focus()
    // Picking is an undo step of its own: Ctrl+Z takes the chip back and leaves "@query".
    .command(({ tr }) => {
      closeHistory(tr);
      return true;
    })
    .insertContentAt({ from, to }, { type: 'mention', attrs: { id: String(person.id), label: person.name } })
    // A space after the chip, so the next word does not stick to the name (insertContent would drop it).
    .command(({ tr }) => {
      tr.insertText(' ');
      return true;
    })
    .run();
}

/** Pasted text goes in as plain text, line breaks kept: no styles or markup from elsewhere. */
export function insertPlainText(editor: Editor, text: string): void {
  const content: JSONContent[] = [];
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((line, index) => {
      if (index > 0) content.push({ type: 'hardBreak' });
      if (line !== '') content.push({ type: 'text', text: line });
    });
  if (content.length > 0) editor.chain().focus().insertContent(content).run();
}

/** Makes the selected text (or, with nothing selected, the address itself) a link. */
export function insertLink(editor: Editor, href: string): void {
  const chain = editor.chain().focus();
  if (editor.state.selection.empty) {
    chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
  } else {
    chain.extendMarkRange('link').setLink({ href }).run();
  }
}
