import type { fileTypeFromBuffer } from 'file-type';
import type sharpModule from 'sharp';

/**
 * The picture and file-type libraries, loaded on the first upload or photo that needs them:
 * loading both costs about a quarter of a second, which every server start would otherwise pay
 * although most starts never see a file. A failed load is not kept, so the next file retries.
 */
let sharpLoading: Promise<typeof sharpModule> | undefined;
let fileTypeLoading: Promise<typeof fileTypeFromBuffer> | undefined;

export function loadSharp(): Promise<typeof sharpModule> {
  sharpLoading ??= import('sharp').then(
    (module) => module.default,
    (error: unknown) => {
      sharpLoading = undefined;
      throw error;
    },
  );
  return sharpLoading;
}

export function loadFileTypeDetector(): Promise<typeof fileTypeFromBuffer> {
  fileTypeLoading ??= import('file-type').then(
    (module) => module.fileTypeFromBuffer,
    (error: unknown) => {
      fileTypeLoading = undefined;
      throw error;
    },
  );
  return fileTypeLoading;
}
