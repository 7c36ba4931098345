import { extname } from 'node:path';
import type { DiskFileView, ImFileView } from '@portaldesk/protocol';
import { atomDate } from '../messenger/atom-date.ts';

/** A file in a chat's folder, as stored. */
export interface ChatFile {
  id: number;
  portalId: number;
  folderId: number;
  chatId: number;
  authorId: number;
  name: string;
  size: number;
  mimeType: string;
  contentSha256: string;
  width: number | null;
  height: number | null;
  previewSha256: string | null;
  accessKey: string;
  createdAt: Date;
  messageId: number | null;
}

export interface ChatFileRow {
  id: number;
  portal_id: number;
  folder_id: number;
  chat_id: number;
  author_id: number;
  name: string;
  size: string | number;
  mime_type: string;
  content_sha256: string;
  width: number | null;
  height: number | null;
  preview_sha256: string | null;
  access_key: string;
  created_at: Date;
  message_id: string | number | null;
}

export const CHAT_FILE_COLUMNS =
  'f.id, f.portal_id, f.folder_id, f.chat_id, f.author_id, f.name, f.size, f.mime_type, f.content_sha256, f.width, f.height, f.preview_sha256, f.access_key, f.created_at, f.message_id';

export function toChatFile(row: ChatFileRow): ChatFile {
  return {
    id: row.id,
    portalId: row.portal_id,
    folderId: row.folder_id,
    chatId: row.chat_id,
    authorId: row.author_id,
    name: row.name,
    size: Number(row.size),
    mimeType: row.mime_type,
    contentSha256: row.content_sha256,
    width: row.width,
    height: row.height,
    previewSha256: row.preview_sha256,
    accessKey: row.access_key,
    createdAt: new Date(row.created_at),
    messageId: row.message_id === null ? null : Number(row.message_id),
  };
}

/** What the address of a file serves: the preview, the file shown in the page, or a download. */
export type FileVariant = 'preview' | 'show' | 'download';

/** The root-relative address of one variant; its key makes it unguessable. */
export function fileAddress(file: Pick<ChatFile, 'id' | 'accessKey'>, variant: FileVariant): string {
  return `/disk/file/${file.id}/${file.accessKey}/${variant}`;
}

/** The file as `im.dialog.messages.get` and the `message` event list it. */
export function imFileView(file: ChatFile, authorName: string): ImFileView {
  const isImage = file.previewSha256 !== null && file.width !== null && file.height !== null;
  return {
    id: file.id,
    chatId: file.chatId,
    date: atomDate(file.createdAt),
    type: isImage ? 'image' : 'file',
    name: file.name,
    extension: extname(file.name).slice(1).toLowerCase(),
    mimeType: file.mimeType,
    size: file.size,
    image: isImage ? { width: file.width as number, height: file.height as number } : false,
    status: 'done',
    progress: 100,
    authorId: file.authorId,
    authorName,
    urlPreview: isImage ? fileAddress(file, 'preview') : '',
    urlShow: fileAddress(file, 'show'),
    urlDownload: fileAddress(file, 'download'),
  };
}

/** The file as `disk.folder.uploadfile` answers it; `origin` makes its download address absolute. */
export function diskFileView(file: ChatFile, origin: string): DiskFileView {
  const date = atomDate(file.createdAt);
  return {
    ID: file.id,
    NAME: file.name,
    CODE: null,
    STORAGE_ID: file.folderId,
    TYPE: 'file',
    PARENT_ID: file.folderId,
    DELETED_TYPE: 0,
    GLOBAL_CONTENT_VERSION: 1,
    FILE_ID: file.id,
    SIZE: String(file.size),
    CREATE_TIME: date,
    UPDATE_TIME: date,
    DELETE_TIME: null,
    CREATED_BY: String(file.authorId),
    UPDATED_BY: String(file.authorId),
    DELETED_BY: null,
    DOWNLOAD_URL: `${origin}${fileAddress(file, 'download')}`,
    DETAIL_URL: `${origin}${fileAddress(file, 'show')}`,
  };
}
