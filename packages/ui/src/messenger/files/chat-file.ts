import { type ChatFile, ChatFileSchema } from '@portaldesk/protocol';

export { type ChatFile, ChatFileSchema };

/** A message's files in the order its `FILE_ID` names them; ids whose file is gone are left out. */
export function filesOfMessage(fileIds: readonly number[] | undefined, files: readonly ChatFile[]): ChatFile[] {
  if (!fileIds?.length) return [];
  const byId = new Map(files.map((file) => [file.id, file]));
  return fileIds.map((id) => byId.get(id)).filter((file): file is ChatFile => file !== undefined);
}

/**
 * What a message of files only says in the chat list: "Picture", "File: plan.pdf", "3 files", or
 * "File" when only the flag of `im.recent` is known; "File deleted" once its files are gone.
 */
export function attachedFilesLabel(
  message: { file?: unknown; files?: unknown; text?: unknown } | null | undefined,
): string {
  const files: readonly ChatFile[] = Array.isArray(message?.files) ? message.files : [];
  const [first] = files;
  if (files.length === 1 && first) return first.type === 'image' ? 'Picture' : `File: ${first.name}`;
  if (files.length > 1) return `${files.length} files`;
  if (message?.file === true) return 'File';
  // Nothing is sent without text or files: a message with neither had its files deleted since.
  return message?.file === false && message.text === '' ? 'File deleted' : '';
}

/** `2.4 MB`, as a file card shows a size. */
export function fileSizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * The box a picture takes in the history before it has loaded: its own proportions, at most
 * `maxWidth` × `maxHeight`, never enlarged.
 */
export function imageBox(
  image: { width: number; height: number },
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / image.width, maxHeight / image.height);
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}
