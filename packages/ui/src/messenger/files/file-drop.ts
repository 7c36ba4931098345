import { ref } from 'vue';

/**
 * Files dragged from the desktop onto the dialog: whether some are over it now (to show where to
 * drop), and the files when dropped. Text or links dragged about the page are left alone.
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const over = ref(false);
  let depth = 0;

  const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

  return {
    over,
    handlers: {
      dragenter(event: DragEvent) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth++;
        over.value = true;
      },
      dragover(event: DragEvent) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      },
      dragleave(event: DragEvent) {
        if (!carriesFiles(event)) return;
        depth = Math.max(0, depth - 1);
        if (depth === 0) over.value = false;
      },
      drop(event: DragEvent) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth = 0;
        over.value = false;
        const files = Array.from(event.dataTransfer?.files ?? []);
        if (files.length > 0) onFiles(files);
      },
    },
  };
}

/**
 * The files of a paste, if any: a picture copied to the clipboard arrives as one. A paste that
 * also carries text (a word processor puts a picture of the text beside it) is text.
 */
export function pastedFiles(event: ClipboardEvent): File[] {
  if ((event.clipboardData?.getData('text/plain') ?? '').trim() !== '') return [];
  return Array.from(event.clipboardData?.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}
