import { z } from 'zod';

/**
 * Building blocks for REST parameter schemas. Parameters arrive as strings from GET and form
 * posts and as JSON values from JSON posts, so scalars are coerced; Bitrix24 writes booleans as
 * `Y`/`N` as often as `true`/`false`.
 */
/**
 * The range of PostgreSQL `integer`, the type of the ids, offsets and counts the portal stores.
 * A parameter outside it is a bad parameter (`INVALID_ARG_VALUE`), never a database failure.
 */
export const REST_INT_MIN = -2_147_483_648;
export const REST_INT_MAX = 2_147_483_647;

export const restInt = z.coerce.number().int().min(REST_INT_MIN).max(REST_INT_MAX);
export const restPositiveInt = restInt.positive();

export const restBoolean = z.preprocess((value) => {
  if (typeof value === 'string') {
    const v = value.trim().toUpperCase();
    if (v === 'Y' || v === 'TRUE' || v === '1') return true;
    if (v === 'N' || v === 'FALSE' || v === '0' || v === '') return false;
  }
  if (typeof value === 'number') return value !== 0;
  return value;
}, z.boolean());

/** `start` of Bitrix24 list methods: the offset of the first item of the page. */
export const restStart = restInt.min(0).default(0);

/** A list given as `X[]=1&X[]=2`, `X[0]=1`, a JSON array, or a single value. */
export function restList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === null) return value;
    if (Array.isArray(value)) return value;
    if (typeof value === 'object') return Object.values(value as Record<string, unknown>);
    return [value];
  }, z.array(item));
}
