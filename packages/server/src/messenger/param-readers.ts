import { type DialogRef, parseDialogId } from '@portaldesk/protocol';
import { imError } from './messenger-error.ts';

/** A positive integer id from a REST parameter, or `null` when absent or not one. */
export function readId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value <= 2_147_483_647 ? value : null;
  if (typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value)) return readId(Number(value));
  return null;
}

export function readDialog(value: unknown): DialogRef {
  const ref = parseDialogId(value);
  if (!ref) throw imError('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
  return ref;
}

/** A list of ids given as `X[]=1&X[]=2`, `X[0]=1`, a JSON array, or one value; bad entries are dropped. */
export function readIdList(value: unknown): number[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : [value];
  return [...new Set(items.map(readId).filter((id): id is number => id !== null))];
}

/** Text as sent (never trimmed or escaped); numbers are taken as their text. */
export function readText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

export function isYes(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toUpperCase() === 'Y';
}
