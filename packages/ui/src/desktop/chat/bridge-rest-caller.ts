import { RestCallError } from '@portaldesk/client';
import { BridgeCallError, type BridgeRequest, callBridge } from '@portaldesk/protocol';
import type { RestCaller } from '../../rest/rest-client.ts';

type ChatMethod = BridgeRequest<'chat.rest'>['method'];

/**
 * REST calls of one account, made by the desktop's main process with that account's session:
 * the chat window never holds a cookie or `sessid`. Failures come back as the `RestCallError`s
 * the messenger screens know (`NETWORK_ERROR` when the portal could not be reached).
 */
export function bridgeRestCaller(accountId: string, bridge: typeof callBridge = callBridge): RestCaller {
  return {
    async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      try {
        const { result } = await bridge('chat.rest', { accountId, method: method as ChatMethod, params });
        return result as T;
      } catch (error) {
        if (!(error instanceof BridgeCallError)) throw error;
        throw new RestCallError(error.code, error.message, error.code === 'NETWORK_ERROR' ? 0 : 400);
      }
    },
  };
}
