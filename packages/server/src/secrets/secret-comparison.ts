import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret someone gave equals the expected one, in time that depends on neither, so a
 * guesser learns nothing from how long a refusal takes. Both sides are hashed first: that makes
 * them the same length, so not even the expected secret's length shows.
 */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
