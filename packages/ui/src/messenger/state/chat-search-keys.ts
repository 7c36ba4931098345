import type { ComposerKey } from './composer-key.ts';

/** Ctrl+K (⌘K on a Mac), from anywhere in the messenger: to the chat search, as in Slack. */
export function isChatSearchShortcut(event: ComposerKey): boolean {
  return (
    event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) === true && !event.altKey && !event.shiftKey
  );
}

/** In the search box: Enter opens the first chat found, Escape clears the search. */
export function chatSearchBoxKey(event: ComposerKey, query: string): 'open-first' | 'clear' | 'none' {
  if (event.isComposing || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return 'none';
  if (event.key === 'Enter' && query.trim() !== '') return 'open-first';
  if (event.key === 'Escape' && query !== '') return 'clear';
  return 'none';
}
