import { RestCallError } from '@portaldesk/client';

/** `unavailable`: this portal has no messenger (its `im.*` methods are missing). */
export type LoadState = 'idle' | 'loading' | 'ready' | 'unavailable' | 'error';

/** How a failed load shows: a portal without the messenger's methods is not an error to retry. */
export function loadStateFor(error: unknown): LoadState {
  return error instanceof RestCallError && error.code === 'ERROR_METHOD_NOT_FOUND' ? 'unavailable' : 'error';
}
