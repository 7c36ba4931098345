import type { fileTypeFromBuffer } from 'file-type';
import type sharpModule from 'sharp';

/**
 * The picture and file-type libraries, loaded on the first upload or photo that needs them:
 * loading both costs about a quarter of a second, which every server start would otherwise pay
 * although most starts never see a file.
 */
export const loadSharp: () => Promise<typeof sharpModule> = loadedOnce(() =>
  import('sharp').then((module) => module.default),
);

export const loadFileTypeDetector: () => Promise<typeof fileTypeFromBuffer> = loadedOnce(() =>
  import('file-type').then((module) => module.fileTypeFromBuffer),
);

/** Loads on the first call and shares that load; a failed load is not kept, so the next file retries. */
function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
