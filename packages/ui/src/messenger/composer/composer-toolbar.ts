import CodeIcon from '@bitrix24/b24icons-vue/editor/EncloseTextInCodeTagIcon';
import BoldIcon from '@bitrix24/b24icons-vue/outline/BoldIcon';
import ItalicIcon from '@bitrix24/b24icons-vue/outline/ItalicIcon';
import LinkIcon from '@bitrix24/b24icons-vue/outline/LinkIcon';
import QuoteIcon from '@bitrix24/b24icons-vue/outline/QuoteIcon';
import StrikethroughIcon from '@bitrix24/b24icons-vue/outline/StrikethroughIcon';
import UnderlineIcon from '@bitrix24/b24icons-vue/outline/UnderlineIcon';
import type { Editor } from '@tiptap/core';
import { FORMATTING_SHORTCUTS, type FormattingAction, isFormattingActive, toggleFormatting } from './formatting.ts';

const BUTTONS: { action: FormattingAction; label: string; icon: unknown }[] = [
  { action: 'bold', label: 'Bold', icon: BoldIcon },
  { action: 'italic', label: 'Italic', icon: ItalicIcon },
  { action: 'underline', label: 'Underline', icon: UnderlineIcon },
  { action: 'strike', label: 'Strikethrough', icon: StrikethroughIcon },
  { action: 'code', label: 'Code', icon: CodeIcon },
  { action: 'quote', label: 'Quote', icon: QuoteIcon },
];

/**
 * The items of the kit's editor toolbar (B24EditorToolbar): one button per formatting, pressed
 * while it applies at the caret, and Link, which asks for the address. `touch` gives every button
 * a finger-sized target.
 */
export function composerToolbarItems(editor: Editor, options: { touch: boolean; onLink: () => void }) {
  const size = options.touch ? 'min-h-11 min-w-11' : '';
  const formatting = BUTTONS.map(({ action, label, icon }) => ({
    icon,
    'aria-label': label,
    'aria-pressed': isFormattingActive(editor, action),
    title: `${label} (${FORMATTING_SHORTCUTS[action]})`,
    class: size,
    active: isFormattingActive(editor, action),
    onClick: () => toggleFormatting(editor, action),
  }));
  const link = {
    icon: LinkIcon,
    'aria-label': 'Link',
    'aria-pressed': editor.isActive('link'),
    title: editor.isActive('link') ? 'Remove the link' : 'Link',
    class: size,
    active: editor.isActive('link'),
    onClick: () => {
      if (editor.isActive('link')) editor.chain().focus().extendMarkRange('link').unsetLink().run();
      else options.onLink();
    },
  };
  return [formatting, [link]];
}
