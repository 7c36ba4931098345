import { RestCallError } from '@portaldesk/client';
import { PHOTO_ADDRESS } from '@portaldesk/protocol';
import { FormData } from 'undici';
import type { PortalSession } from '../accounts/account-sign-in.ts';
import type { DesktopFetch } from './desktop-http-client.ts';
import type { PortalRestClient } from './portal-rest-client.ts';

export interface PortalFileClientOptions {
  fetch: DesktopFetch;
  rest: PortalRestClient;
  session(): Promise<PortalSession>;
}

/** A chat file's own address on the portal: nothing else is ever fetched for the chat window. */
export const CHAT_FILE_ADDRESS = /^\/disk\/file\/\d{1,10}\/[A-Za-z0-9_-]{1,64}\/(preview|show|download)$/;

/**
 * One account's chat files in the main process, with its own session: sending a file into a
 * dialog by the documented flow (folder, upload address, multipart post, commit) and reading a
 * file's bytes for the chat window, which holds no session of its own.
 */
export class PortalFileClient {
  constructor(private readonly options: PortalFileClientOptions) {}

  async send(dialogId: string, name: string, bytes: Uint8Array): Promise<void> {
    const { rest } = this.options;
    const folder = await rest.call<{ ID: number; CHAT_ID: number }>('im.disk.folder.get', { DIALOG_ID: dialogId });
    const address = await rest.call<{ field: string; uploadUrl: string }>('disk.folder.uploadfile', {
      id: folder.ID,
      generateUniqueName: true,
    });
    const session = await this.options.session();
    // The address must be the account's own portal: a file never goes anywhere else.
    if (new URL(address.uploadUrl).origin !== new URL(session.origin).origin) {
      throw new RestCallError('UPLOAD_ADDRESS_FOREIGN', 'The portal gave an upload address elsewhere', 0);
    }
    const form = new FormData();
    form.append(address.field, new Blob([Buffer.from(bytes)]), name);
    let response: Awaited<ReturnType<DesktopFetch>>;
    try {
      response = await this.options.fetch(address.uploadUrl, { method: 'POST', body: form as never });
    } catch {
      throw new RestCallError('NETWORK_ERROR', 'The portal did not take the file', 0);
    }
    const answer = (await response.json().catch(() => ({}))) as {
      result?: { ID?: number };
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !answer.result?.ID) {
      throw new RestCallError(
        answer.error ?? 'HTTP_ERROR',
        answer.error_description ?? `HTTP ${response.status}`,
        response.status,
      );
    }
    await rest.call('im.disk.file.commit', { CHAT_ID: folder.CHAT_ID, UPLOAD_ID: [answer.result.ID] });
  }

  /** A file's (or a photo's) bytes, by its address on the portal, as the account may read them. */
  async read(address: string): Promise<{ contentType: string; bytes: Uint8Array }> {
    if (!CHAT_FILE_ADDRESS.test(address) && !PHOTO_ADDRESS.test(address)) {
      throw new RestCallError('NOT_FOUND', 'Not a chat file or photo', 404);
    }
    const session = await this.options.session();
    let response: Awaited<ReturnType<DesktopFetch>>;
    try {
      response = await this.options.fetch(`${session.origin}${address}`, {
        headers: { cookie: [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
        signal: AbortSignal.timeout(60_000),
      });
    } catch {
      throw new RestCallError('NETWORK_ERROR', 'The portal did not answer', 0);
    }
    if (!response.ok) throw new RestCallError('NOT_FOUND', 'The file is not there', response.status);
    return {
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }
}
