import { RestError } from '../rest/rest-error.ts';

/**
 * The messenger's documented error codes with the HTTP status Bitrix24 answers them with.
 * Most are 400; access refusals are 403.
 */
const FORBIDDEN = new Set([
  'ACCESS_ERROR',
  'ACCESS_DENIED',
  'ACCESS_DENIED_KICK',
  'ACCESS_DENIED_EXTEND',
  'CANT_EDIT_MESSAGE',
  'WRONG_AUTH_TYPE',
]);

export function imError(code: string, description: string): RestError {
  return new RestError(code, description, FORBIDDEN.has(code) ? 403 : 400);
}
