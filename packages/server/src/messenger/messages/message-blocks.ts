import { findInputFault } from '../../http/input-faults.ts';
import { imError } from '../messenger-error.ts';
import { MAX_BLOCK_LENGTH } from './message-text-limits.ts';

/**
 * Reads an `ATTACH`, `KEYBOARD` or `MENU` parameter: an object or array, or the same as a JSON
 * string. `undefined` when absent; `null` when the caller asked to remove it (`N` or empty).
 */
export function readBlock(value: unknown, name: 'ATTACH' | 'KEYBOARD' | 'MENU'): unknown {
  if (value === undefined) return undefined;
  if (value === null || value === '' || value === 'N') return null;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw imError(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
    }
  }
  // A block sent as a JSON string was never seen by the edge: its depth and text are checked here.
  if (typeof parsed !== 'object' || parsed === null || findInputFault(parsed))
    throw imError(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
  if (JSON.stringify(parsed).length > MAX_BLOCK_LENGTH) {
    throw imError(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
  }
  return parsed;
}
