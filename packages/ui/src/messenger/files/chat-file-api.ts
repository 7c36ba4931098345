import { RestCallError } from '@portaldesk/client';
import { z } from 'zod';
import { parsedCall } from '../../rest/parsed-call.ts';
import type { RestCaller } from '../../rest/rest-client.ts';
import type { DialogId } from '../api/messenger-schemas.ts';

const FolderSchema = z.looseObject({
  ID: z.coerce.number().int().positive(),
  CHAT_ID: z.coerce.number().int().positive(),
});
const UploadAddressSchema = z.looseObject({ field: z.string().min(1), uploadUrl: z.string().min(1) });
const UploadedSchema = z.looseObject({ result: z.looseObject({ ID: z.coerce.number().int().positive() }) });

/** Sends a file's bytes to an upload address; progress from 0 to 1. */
export type UploadTransport = (
  address: { field: string; uploadUrl: string },
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
) => Promise<number>;

/** Sends one file into a dialog, with its progress from 0 to 1; cancelled through `signal`. */
export type FileSender = (
  dialogId: DialogId,
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
) => Promise<void>;

/** Thrown when the person cancelled an upload: nothing to tell them. */
export class UploadCancelled extends Error {
  constructor() {
    super('Upload cancelled');
    this.name = 'UploadCancelled';
  }
}

/**
 * The documented Bitrix24 flow of a file into a chat: the chat's folder (`im.disk.folder.get`),
 * an upload address for it (`disk.folder.uploadfile` without contents), the bytes to that
 * address, then `im.disk.file.commit`, which posts the file with a message.
 */
export class ChatFileApi {
  constructor(
    private readonly rest: RestCaller,
    private readonly transport: UploadTransport = xhrUploadTransport,
  ) {}

  async send(
    dialogId: DialogId,
    file: Blob,
    name: string,
    onProgress: (fraction: number) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const folder = await parsedCall(this.rest, FolderSchema, 'im.disk.folder.get', { DIALOG_ID: dialogId });
    if (signal.aborted) throw new UploadCancelled();
    const address = await parsedCall(this.rest, UploadAddressSchema, 'disk.folder.uploadfile', {
      id: folder.ID,
      generateUniqueName: true,
    });
    const fileId = await this.transport(address, file, name, onProgress, signal);
    if (signal.aborted) throw new UploadCancelled();
    await this.rest.call('im.disk.file.commit', { CHAT_ID: folder.CHAT_ID, UPLOAD_ID: [fileId] });
  }
}

/**
 * The page's own way: a multipart POST with progress (XMLHttpRequest: fetch reports no upload
 * progress). The address carries its own single-use token, so no cookie is needed.
 */
export const xhrUploadTransport: UploadTransport = (address, file, name, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', address.uploadUrl);
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let answer: unknown;
      try {
        answer = JSON.parse(request.responseText);
      } catch {
        answer = undefined;
      }
      const uploaded = UploadedSchema.safeParse(answer);
      if (request.status === 200 && uploaded.success) {
        resolve(uploaded.data.result.ID);
        return;
      }
      const failure = answer as { error?: unknown; error_description?: unknown } | undefined;
      reject(
        new RestCallError(
          String(failure?.error ?? 'INVALID_RESPONSE'),
          String(failure?.error_description ?? `The upload failed (HTTP ${request.status})`),
          request.status,
        ),
      );
    };
    request.onerror = () => reject(new RestCallError('NETWORK_ERROR', 'The portal could not be reached', 0));
    request.onabort = () => reject(new UploadCancelled());
    signal.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append(address.field, file, name);
    request.send(form);
  });
