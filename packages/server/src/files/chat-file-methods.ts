import { Readable } from 'node:stream';
import {
  diskFolderUploadFileParams,
  imDiskFileCommitParams,
  imDiskFileDeleteParams,
  imDiskFolderGetParams,
} from '@portaldesk/protocol';
import { MAX_MESSAGE_LENGTH } from '../messenger/messages/message-text-limits.ts';
import { imError } from '../messenger/messenger-error.ts';
import { readDialog, readId, readIdList, readText } from '../messenger/param-readers.ts';
import { RestError } from '../rest/rest-error.ts';
import { type RestMethod, restMethod } from '../rest/rest-method.ts';
import { diskFileView } from './chat-file.ts';
import type { ChatFiles } from './chat-files.ts';
import { fileRefusal, readableSize } from './file-refusal.ts';
import { receiveBody } from './incoming-body.ts';

/** The form field the two-step upload sends the file in. */
export const UPLOAD_FIELD = 'file';

/** The address the two-step form posts to; its token says who uploads where. */
export const UPLOAD_PATH = '/rest/upload.json';

/** `im.disk.folder.get`, `disk.folder.uploadfile`, `im.disk.file.commit`, `im.disk.file.delete`. */
export function chatFileMethods(files: ChatFiles): RestMethod[] {
  return [
    restMethod({
      name: 'im.disk.folder.get',
      scope: 'im',
      readOnly: false,
      params: imDiskFolderGetParams,
      handle: async ({ auth, params }) => {
        // DIALOG_ID (ours, beside the documented CHAT_ID) reaches a one-to-one dialog before its first message.
        const chatId = readId(params.CHAT_ID);
        const ref =
          chatId !== null
            ? ({ kind: 'chat', chatId } as const)
            : params.DIALOG_ID !== undefined && params.DIALOG_ID !== ''
              ? readDialog(params.DIALOG_ID)
              : null;
        if (!ref) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
        const folder = await files.folderOfChat(auth.portal.id, auth.userId, ref);
        return { result: { ID: folder.id, CHAT_ID: folder.chatId } };
      },
    }),
    restMethod({
      name: 'disk.folder.uploadfile',
      scope: ['disk', 'im'],
      readOnly: false,
      params: diskFolderUploadFileParams,
      handle: async ({ auth, params, origin = '' }) => {
        const folderId = readId(params.id);
        if (folderId === null) throw new RestError('ERROR_ARGUMENT', 'Invalid value of parameter { id }');
        const folder = await files.folderForUpload(auth.portal.id, auth.userId, folderId);
        const uniqueName = isTrue(params.generateUniqueName);
        if (params.fileContent === undefined || params.fileContent === '') {
          const token = await files.issueUploadToken(auth.portal.id, auth.userId, folder, uniqueName);
          return { result: { field: UPLOAD_FIELD, uploadUrl: `${origin}${UPLOAD_PATH}?token=${token}` } };
        }
        const [contentName, base64] = readFileContent(params.fileContent);
        const name = readName(params.data) ?? contentName;
        if (!name) throw new RestError('DISK_BASE_SERVICE_22001', 'Error: required parameter NAME');
        const limit = files.settings.sizeLimit;
        if (Math.floor((base64.length * 3) / 4) > limit + 3) {
          throw fileRefusal('FILE_TOO_LARGE', `The file is larger than the limit of ${readableSize(limit)}`);
        }
        const body = await receiveBody(Readable.from([Buffer.from(base64, 'base64')]), files.incomingDir, limit);
        const file = await files.upload(auth.portal.id, auth.userId, folder, name, body, uniqueName);
        return { result: diskFileView(file, origin) };
      },
    }),
    restMethod({
      name: 'im.disk.file.commit',
      scope: 'im',
      readOnly: false,
      params: imDiskFileCommitParams,
      handle: async ({ auth, params }) => {
        const chatId = readId(params.CHAT_ID);
        if (chatId === null) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
        const uploadIds = readIdList(params.UPLOAD_ID);
        const diskIds = readIdList(params.DISK_ID);
        if (uploadIds.length === 0 && diskIds.length === 0) throw imError('FILES_ERROR', "File IDs can't be empty");
        const text = params.MESSAGE === undefined || params.MESSAGE === null ? '' : readText(params.MESSAGE);
        if (text.length > MAX_MESSAGE_LENGTH) {
          throw imError('PARAMS_ERROR', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
        }
        await files.commit(auth.portal.id, auth.userId, chatId, uploadIds, diskIds, text);
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.disk.file.delete',
      scope: 'im',
      readOnly: false,
      params: imDiskFileDeleteParams,
      handle: async ({ auth, params }) => {
        const chatId = readId(params.CHAT_ID);
        if (chatId === null) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
        const fileId = readId(params.DISK_ID);
        if (fileId === null) throw imError('FILE_ID_EMPTY', "File ID can't be empty");
        await files.delete(auth.portal.id, auth.userId, chatId, fileId);
        return { result: true };
      },
    }),
  ];
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && /^(true|y|1)$/i.test(value));
}

function readName(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const name = (data as Record<string, unknown>).NAME;
  return typeof name === 'string' && name.trim() !== '' ? name : null;
}

/** `[name, base64]` (how Bitrix24 takes a file in a field), as an array or the PHP-style form `fileContent[0]=…&fileContent[1]=…`. */
export function readFileContent(value: unknown, field = 'fileContent'): [string | null, string] {
  const parts = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : [value];
  const [first, second] = parts;
  const named = typeof second === 'string';
  const content = named ? second : first;
  const name = named && typeof first === 'string' ? first : null;
  if (typeof content !== 'string') throw new RestError('ERROR_ARGUMENT', `${field} must be [name, base64 contents]`);
  const base64 = content.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new RestError('ERROR_ARGUMENT', `${field} is not valid Base64`);
  }
  if (base64 === '') throw fileRefusal('FILE_EMPTY', 'The file is empty');
  return [name, base64];
}
