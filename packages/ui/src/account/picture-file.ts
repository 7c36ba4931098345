import { RestCallError } from '@portaldesk/client';

/** Larger pictures are refused before they are sent (the server re-encodes to 256 px anyway). */
export const PICTURE_SIZE_LIMIT = 20 * 1024 * 1024;

/** A chosen picture as Bitrix24 takes one: its Base64 contents (no `data:` prefix). */
export function pictureAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The picture could not be read'));
    reader.readAsDataURL(file);
  });
}

/** What to tell a person whose picture was not taken. */
export function pictureFailureMessage(failure: unknown): string {
  if (failure instanceof RestCallError && failure.code === 'AVATAR_ERROR') {
    return `That picture could not be used: ${failure.description.replace(/^Avatar incorrect \w+:?\s*/, '')}`;
  }
  if (failure instanceof RestCallError && failure.status === 0) return 'The portal cannot be reached. Try again.';
  return 'The picture could not be changed. Try again.';
}
