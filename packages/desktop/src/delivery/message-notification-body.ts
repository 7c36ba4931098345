import { bbCodeToPlainText } from '@portaldesk/protocol';

/** A file posted with a message, as far as a notification tells of it. */
export interface NotifiedFile {
  name: string;
  type: 'image' | 'file';
}

/**
 * What a message notification says: its text as plain text, led by what was sent with it
 * ("sent a file: report.pdf", "sent a picture: view.png", "sent 3 files: a.pdf, b.pdf, c.png").
 */
export function messageNotificationBody(text: string, files: readonly NotifiedFile[] = []): string {
  const plain = bbCodeToPlainText(text);
  const [first] = files;
  if (!first) return plain;
  const sent =
    files.length === 1
      ? `sent ${first.type === 'image' ? 'a picture' : 'a file'}: ${first.name}`
      : `sent ${files.length} files: ${files.map((f) => f.name).join(', ')}`;
  return plain ? `${sent}\n${plain}` : sent;
}
