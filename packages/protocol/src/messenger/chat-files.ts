import { z } from 'zod';

/**
 * Files sent in chats: the parameters of `im.disk.*` and `disk.folder.uploadfile`, and the file
 * as `im.dialog.messages.get` and the `message` event list it (field names of the Bitrix24 docs).
 */
const loose = z.unknown().optional();

export const imDiskFolderGetParams = z.looseObject({ CHAT_ID: loose, DIALOG_ID: loose });

export const imDiskFileCommitParams = z.looseObject({
  CHAT_ID: loose,
  UPLOAD_ID: loose,
  DISK_ID: loose,
  MESSAGE: loose,
  SILENT_MODE: loose,
});

export const imDiskFileDeleteParams = z.looseObject({ CHAT_ID: loose, DISK_ID: loose });

export const diskFolderUploadFileParams = z.looseObject({
  id: loose,
  data: loose,
  fileContent: loose,
  generateUniqueName: loose,
  rights: loose,
});

export interface ImFileView {
  id: number;
  chatId: number;
  date: string;
  /** `image` for pictures shown inline, `file` for everything else. */
  type: 'image' | 'file';
  name: string;
  extension: string;
  /** Read from the bytes, never from the name. */
  mimeType: string;
  size: number;
  /** The picture's size as shown (orientation applied), so that its place is kept while it loads. */
  image: { width: number; height: number } | false;
  status: 'done';
  progress: 100;
  authorId: number;
  authorName: string;
  /** Root-relative addresses on the portal; each checks the caller's membership of the chat. */
  urlPreview: string;
  urlShow: string;
  urlDownload: string;
}

/** `disk.folder.uploadfile`'s answer: the stored file, or where to send it (the two-step form). */
export interface DiskUploadAddress {
  field: string;
  uploadUrl: string;
}

export interface DiskFileView {
  ID: number;
  NAME: string;
  CODE: null;
  STORAGE_ID: number;
  TYPE: 'file';
  PARENT_ID: number;
  DELETED_TYPE: 0;
  GLOBAL_CONTENT_VERSION: 1;
  FILE_ID: number;
  SIZE: string;
  CREATE_TIME: string;
  UPDATE_TIME: string;
  DELETE_TIME: null;
  CREATED_BY: string;
  UPDATED_BY: string;
  DELETED_BY: null;
  DOWNLOAD_URL: string;
  DETAIL_URL: string;
}
