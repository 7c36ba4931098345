import { RestCallError } from '@portaldesk/client';

/**
 * What to tell an administrator when a call failed: the server's own words for a refused input
 * (they name the field), a plain sentence otherwise.
 */
export function adminErrorText(error: unknown, fallback: string): string {
  if (!(error instanceof RestCallError)) return fallback;
  if (error.code === 'ERROR_ARGUMENT' || error.code === 'INVALID_ARG_VALUE') return error.description;
  if (error.code === 'ACCESS_DENIED') return 'Only portal administrators may do this.';
  if (error.code === 'NETWORK_ERROR') return 'The portal cannot be reached. Try again.';
  return fallback;
}
