import { RestError } from '../rest/rest-error.ts';

/**
 * Why a file is not taken, in the REST error shape, with a description a person can act on.
 * Nothing of a refused file is stored.
 */
export type FileRefusalCode =
  | 'FILE_EMPTY'
  | 'FILE_TOO_LARGE'
  | 'FILE_TYPE_MISMATCH'
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_TOO_LARGE'
  | 'FILE_NAME_INVALID';

export function fileRefusal(code: FileRefusalCode, description: string): RestError {
  return new RestError(code, description, code === 'FILE_TOO_LARGE' ? 413 : 400);
}

/** `12.5 MB`, for messages that name a size limit. */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
