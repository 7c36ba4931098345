import { RestCallError } from '@portaldesk/client';
import { ref } from 'vue';
import type { DialogId } from '../api/messenger-schemas.ts';
import { type FileSender, UploadCancelled } from './chat-file-api.ts';

/** One file on its way into a chat, as the list above the composer shows it. */
export interface FileUpload {
  key: number;
  dialogId: DialogId;
  name: string;
  size: number;
  /** 0 to 1. */
  progress: number;
  state: 'uploading' | 'failed';
  /** Why it was refused, in the portal's words. */
  error: string;
}

/**
 * Files being sent, each on its own: progress, cancel, and a refusal that stays on screen until
 * dismissed. A sent file leaves the list; its message comes back like any other.
 */
export function createFileUploads(send: FileSender) {
  const uploads = ref<FileUpload[]>([]);
  const controllers = new Map<number, AbortController>();
  let nextKey = 1;

  function update(key: number, change: Partial<FileUpload>) {
    uploads.value = uploads.value.map((u) => (u.key === key ? { ...u, ...change } : u));
  }

  function drop(key: number) {
    controllers.delete(key);
    uploads.value = uploads.value.filter((u) => u.key !== key);
  }

  async function sendOne(dialogId: DialogId, file: File): Promise<void> {
    const key = nextKey++;
    const controller = new AbortController();
    controllers.set(key, controller);
    const name = file.name || pastedName(file.type);
    uploads.value = [
      ...uploads.value,
      { key, dialogId, name, size: file.size, progress: 0, state: 'uploading', error: '' },
    ];
    try {
      await send(dialogId, file, name, (progress) => update(key, { progress }), controller.signal);
      drop(key);
    } catch (error) {
      if (error instanceof UploadCancelled || controller.signal.aborted) {
        drop(key);
        return;
      }
      controllers.delete(key);
      update(key, { state: 'failed', error: reason(error) });
    }
  }

  return {
    uploads,
    /** Sends each file to the dialog; resolves when all have been sent, refused or cancelled. */
    send: (dialogId: DialogId, files: readonly File[]) => Promise.all(files.map((file) => sendOne(dialogId, file))),
    cancel: (key: number) => {
      controllers.get(key)?.abort();
      drop(key);
    },
    dismiss: drop,
  };
}

export type FileUploads = ReturnType<typeof createFileUploads>;

/** A picture pasted from the clipboard has no name of its own. */
function pastedName(type: string): string {
  const extension = /^image\/(png|jpeg|gif|webp)$/.exec(type)?.[1]?.replace('jpeg', 'jpg') ?? 'png';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `image-${stamp}.${extension}`;
}

function reason(error: unknown): string {
  if (error instanceof RestCallError) {
    if (error.code === 'NETWORK_ERROR') return 'Not sent: the portal cannot be reached.';
    return error.description || 'Not sent. Try again.';
  }
  return 'Not sent. Try again.';
}
