import { bbCodeToPlainText } from '@portaldesk/protocol';

/** A message as one line of plain text for the recent list: formatting dropped, breaks as spaces. */
export function plainPreview(text: string, maxLength = 120): string {
  const flat = bbCodeToPlainText(text).replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
