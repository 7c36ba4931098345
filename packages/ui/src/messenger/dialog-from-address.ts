import { type DialogId, DialogIdSchema } from './api/messenger-schemas.ts';

/**
 * The dialog a page address asks to open: Bitrix24's deep link `?IM_DIALOG=chat7` (or a user id),
 * which the desktop uses when a notification or a `portaldesk://` link is opened. Anything else
 * opens nothing.
 */
export function dialogFromAddress(search: string): DialogId | null {
  const requested = new URLSearchParams(search).get('IM_DIALOG');
  if (!requested) return null;
  const parsed = DialogIdSchema.safeParse(requested);
  return parsed.success ? parsed.data : null;
}
