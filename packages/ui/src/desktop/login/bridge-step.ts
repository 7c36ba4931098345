import { BridgeCallError } from '@portaldesk/protocol';

/** What every login-window view shows while a step runs and after it failed. */
export interface StepState {
  busy: boolean;
  error: string;
  /** Code of the last error, where the view picks a field to focus by it. */
  errorCode?: string;
}

/**
 * Runs one step of a login-window view against the main process: busy while it runs, and the
 * main process's plain-words message (or a generic one) when it fails.
 */
export async function runBridgeStep(state: StepState, action: () => Promise<void>): Promise<void> {
  state.busy = true;
  state.error = '';
  if (state.errorCode !== undefined) state.errorCode = '';
  try {
    await action();
  } catch (error) {
    if (state.errorCode !== undefined) state.errorCode = error instanceof BridgeCallError ? error.code : 'UNEXPECTED';
    state.error = error instanceof BridgeCallError ? error.message : 'Something went wrong. Try again.';
  } finally {
    state.busy = false;
  }
}
