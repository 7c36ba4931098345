import { RestError } from '../rest/rest-error.ts';

/**
 * How deep parameters may nest. The deepest documented shape, an `ATTACH` grid, is six levels;
 * serialising thousands of levels overflows the stack.
 */
export const MAX_INPUT_DEPTH = 32;

/** Why a value cannot be taken in: text PostgreSQL cannot store, or nesting beyond {@link MAX_INPUT_DEPTH}. */
export type InputFault = 'nul' | 'lone-surrogate' | 'too-deep';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first fault in a parsed value (its keys too), or null. PostgreSQL refuses U+0000 in text
 * and a lone UTF-16 surrogate in JSON, so either would fail deep inside a method as an internal
 * error. Walked with a stack of its own, so that no depth can exhaust the call stack.
 */
export function findInputFault(value: unknown): InputFault | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (typeof item === 'string') {
      const fault = textFault(item);
      if (fault) return fault;
    } else if (item !== null && typeof item === 'object') {
      if (depth >= MAX_INPUT_DEPTH) return 'too-deep';
      for (const [key, inner] of Object.entries(item)) pending.push([key, depth], [inner, depth + 1]);
    }
  }
  return null;
}

function textFault(text: string): InputFault | null {
  if (text.includes('\u0000')) return 'nul';
  return LONE_SURROGATE.test(text) ? 'lone-surrogate' : null;
}

const DESCRIPTIONS: Record<InputFault, string> = {
  nul: 'Parameters must not contain NUL characters',
  'lone-surrogate': 'Parameters must be well-formed Unicode text',
  'too-deep': `Parameters must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
};

/** The REST answer to a fault: `INVALID_REQUEST`, HTTP 400. */
export function inputFaultError(fault: InputFault): RestError {
  return new RestError('INVALID_REQUEST', DESCRIPTIONS[fault]);
}

/** Refuses `value` with {@link inputFaultError} when it has a fault; returns it otherwise. */
export function refuseInputFault<T>(value: T): T {
  const fault = findInputFault(value);
  if (fault) throw inputFaultError(fault);
  return value;
}
