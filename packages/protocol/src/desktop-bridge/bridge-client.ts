import {
  BRIDGE_BINDING_NAME,
  type BridgeAnswer,
  type BridgeChannel,
  type BridgeRequest,
  type BridgeResult,
} from './bridge-channels.ts';

/** A failed bridge call, with the code the main process gave (e.g. `PORTAL_NOT_FOUND`). */
export class BridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

type BridgeFunction = (channel: string, request: unknown) => Promise<BridgeAnswer<unknown>>;

/** For the desktop's windows (browser side): calls the main process over the bridge. */
export async function callBridge<C extends BridgeChannel>(
  channel: C,
  request: BridgeRequest<C>,
): Promise<BridgeResult<C>> {
  const bridge = (globalThis as unknown as Record<string, BridgeFunction | undefined>)[BRIDGE_BINDING_NAME];
  if (typeof bridge !== 'function') throw new BridgeCallError('BRIDGE_MISSING', 'Not running inside Portaldesk');
  const answer = await bridge(channel, request);
  if (!answer.ok) throw new BridgeCallError(answer.error.code, answer.error.message);
  return answer.result as BridgeResult<C>;
}
