import { bbCodeToPlainText } from '@portaldesk/protocol';

/** Puts text on the clipboard; a refusal (no permission, page not focused) leaves it as it was. */
export function copyPlainText(text: string): void {
  void navigator.clipboard.writeText(text).catch(() => undefined);
}

/** A message as the plain text a person pastes: mentions as names, links as their text, no tags. */
export function copyMessageText(bbCode: string): void {
  copyPlainText(bbCodeToPlainText(bbCode));
}
