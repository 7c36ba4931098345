import { RestCallError } from '@portaldesk/client';
import { BridgeCallError, CHAT_FILE_BRIDGE_LIMIT, callBridge } from '@portaldesk/protocol';
import type { FileSender } from '../../messenger/files/chat-file-api.ts';
import { UploadCancelled } from '../../messenger/files/chat-file-api.ts';
import { type FileSource, saveFrom } from '../../messenger/files/file-source.ts';

/**
 * Chat files of one account in the desktop chat window, which holds no session: the main process
 * sends them and reads them with the account's own session, and the window shows what it reads
 * from `blob:` addresses. No progress crosses the bridge: a file shows as sending until it is in.
 */
export function bridgeFiles(
  accountId: string,
  bridge: typeof callBridge = callBridge,
): { send: FileSender; source: FileSource } {
  const addresses = new Map<string, Promise<string | undefined>>();

  async function read(url: string): Promise<string | undefined> {
    const address = url.replace(/^https?:\/\/[^/]+/, '');
    try {
      const file = await bridge('chat.fileRead', { accountId, address });
      return URL.createObjectURL(new Blob([base64ToBytes(file.contentBase64)], { type: file.contentType }));
    } catch {
      return undefined;
    }
  }

  return {
    async send(dialogId, file, name, onProgress, signal) {
      if (file.size > CHAT_FILE_BRIDGE_LIMIT) {
        throw new RestCallError(
          'FILE_TOO_LARGE',
          `The chat window sends files of up to ${CHAT_FILE_BRIDGE_LIMIT / 1024 / 1024} MB; send larger ones from the portal's page`,
          413,
        );
      }
      const contentBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      if (signal.aborted) throw new UploadCancelled();
      try {
        await bridge('chat.fileSend', { accountId, dialogId, name, contentBase64 });
      } catch (error) {
        if (!(error instanceof BridgeCallError)) throw error;
        throw new RestCallError(error.code, error.message, 400);
      }
      onProgress(1);
    },
    source: {
      address(url) {
        let known = addresses.get(url);
        if (!known) {
          known = read(url);
          addresses.set(url, known);
        }
        return known;
      },
      async download(url, name) {
        const address = await read(url);
        if (!address) return;
        saveFrom(address, name);
        setTimeout(() => URL.revokeObjectURL(address), 60_000);
      },
    },
  };
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
