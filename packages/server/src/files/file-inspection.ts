import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Metadata, ResizeOptions } from 'sharp';
import { fileRefusal } from './file-refusal.ts';
import { loadFileTypeDetector, loadSharp } from './image-libraries.ts';

/** What a received body is, read from its bytes. */
export interface InspectedFile {
  /** From the bytes; `application/octet-stream` when they say nothing known. */
  mimeType: string;
  /** For pictures a browser shows inline (PNG, JPEG, GIF, WebP). */
  image: { width: number; height: number } | null;
}

export interface ImageLimits {
  /** Width × height above which a picture is refused before it is decoded (decompression bombs). */
  maxPixels: number;
  /** The preview's longest side. */
  previewSide: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 60_000_000, previewSide: 1280 };

/** Shown inline in the history and the viewer; anything else is a file card with a download. */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A name whose extension promises one of these must have bytes of that type: a `.png` that is
 * not a PNG is refused. Other names promise too little (a `.txt` may hold anything).
 */
const PROMISED_BY_EXTENSION: Record<string, readonly string[]> = {
  png: ['image/png', 'image/apng'],
  apng: ['image/png', 'image/apng'],
  jpg: ['image/jpeg'],
  jpeg: ['image/jpeg'],
  jpe: ['image/jpeg'],
  gif: ['image/gif'],
  webp: ['image/webp'],
  bmp: ['image/bmp'],
  tif: ['image/tiff'],
  tiff: ['image/tiff'],
  avif: ['image/avif'],
  heic: ['image/heic', 'image/heif'],
  pdf: ['application/pdf'],
};

/** Programs: bytes that say so need a name that says so too. */
const EXECUTABLE_EXTENSIONS: Record<string, readonly string[]> = {
  'application/x-msdownload': ['exe', 'dll', 'msi', 'sys', 'scr', 'com'],
  'application/x-elf': ['', 'so', 'elf', 'bin', 'o'],
  'application/x-mach-binary': ['', 'dylib', 'bin'],
};

/** Reads the type from the first bytes and checks the name does not claim something else. */
export async function inspectFile(path: string, name: string, limits: ImageLimits): Promise<InspectedFile> {
  const fileTypeFromBuffer = await loadFileTypeDetector();
  const detected = await fileTypeFromBuffer(await readHead(path, 4100));
  const mimeType = detected?.mime ?? 'application/octet-stream';
  const extension = extname(name).slice(1).toLowerCase();
  const promised = PROMISED_BY_EXTENSION[extension];
  if (promised && !promised.includes(mimeType)) {
    throw fileRefusal(
      'FILE_TYPE_MISMATCH',
      `The name says .${extension} but the contents are ${detected ? `a ${detected.ext.toUpperCase()} file` : 'not of that type'}`,
    );
  }
  const programExtensions = EXECUTABLE_EXTENSIONS[mimeType];
  if (programExtensions && !programExtensions.includes(extension)) {
    throw fileRefusal('FILE_TYPE_MISMATCH', `The name says .${extension} but the contents are a program`);
  }
  if (!INLINE_IMAGE_TYPES.has(mimeType)) return { mimeType, image: null };
  return { mimeType, image: await imageSize(path, limits) };
}

/**
 * The picture's size as it is shown (EXIF orientation applied), from its header alone: a
 * picture too large to decode safely is refused before any pixel is decoded.
 */
async function imageSize(path: string, limits: ImageLimits): Promise<{ width: number; height: number }> {
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    // The header alone: sharp's own pixel limit is lifted here so that the size can be named below.
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch {
    throw fileRefusal('IMAGE_UNREADABLE', 'The picture cannot be read; it may be damaged');
  }
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw fileRefusal('IMAGE_UNREADABLE', 'The picture cannot be read; it may be damaged');
  if (width * height > limits.maxPixels) {
    throw fileRefusal(
      'IMAGE_TOO_LARGE',
      `The picture is ${width} × ${height} pixels; at most ${Math.round(limits.maxPixels / 1_000_000)} megapixels are accepted`,
    );
  }
  return { width, height };
}

/**
 * A preview of at most `previewSide` on its longest side, upright, as WebP, with no metadata
 * (location, camera) of the original. Decoding the whole picture also proves it is whole: a
 * truncated or damaged picture is refused here.
 */
export async function makePreview(path: string, target: string, limits: ImageLimits): Promise<void> {
  await reencode(path, target, limits.maxPixels, {
    width: limits.previewSide,
    height: limits.previewSide,
    fit: 'inside',
    withoutEnlargement: true,
  });
}

/**
 * A square picture of `side` pixels cut from the middle (people's photos, chat pictures): the
 * same safe re-encoding as previews, so nothing of the original but its pixels is kept.
 */
export async function makeSquarePicture(path: string, target: string, side: number, maxPixels: number): Promise<void> {
  await reencode(path, target, maxPixels, { width: side, height: side, fit: 'cover', position: 'centre' });
}

/** Decodes the whole picture (refusing truncated ones and bombs), upright, resized, as WebP without metadata. */
async function reencode(path: string, target: string, maxPixels: number, resize: ResizeOptions): Promise<void> {
  const sharp = await loadSharp();
  try {
    await sharp(path, { failOn: 'truncated', limitInputPixels: maxPixels, animated: false })
      .rotate()
      .resize(resize)
      .webp({ quality: 80 })
      .toFile(target);
  } catch {
    throw fileRefusal('IMAGE_UNREADABLE', 'The picture cannot be read; it may be damaged or incomplete');
  }
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
