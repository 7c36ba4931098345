import { writeFileSync } from 'node:fs';
import zxing from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

// A CommonJS package: its names come from the default export under Node.
const { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxing;

/**
 * Reads the QR code in a screenshot with ZXing, the decoder the mobile app's camera uses, at full
 * and at half size as the app does. Throws when there is none to read.
 */
export function decodeQrFromPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const [r = 0, g = 0, b = 0] = image.data.subarray(i * 4, i * 4 + 3);
    luminance[i] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  try {
    return decodeLuminance(luminance, image.width, image.height);
  } catch {
    const width = Math.floor(image.width / 2);
    const height = Math.floor(image.height / 2);
    return decodeLuminance(halved(luminance, image.width, width, height), width, height);
  }
}

function decodeLuminance(luminance: Uint8ClampedArray, width: number, height: number): string {
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)));
  return new QRCodeReader().decode(bitmap).getText();
}

function halved(luminance: Uint8ClampedArray, stride: number, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = 2 * y * stride + 2 * x;
      const sum =
        (luminance[at] ?? 0) +
        (luminance[at + 1] ?? 0) +
        (luminance[at + stride] ?? 0) +
        (luminance[at + stride + 1] ?? 0);
      out[y * width + x] = sum / 4;
    }
  }
  return out;
}

const WIDTH = 640;
const HEIGHT = 480;
const WHITE = 235;
const BLACK = 16;

/** A phone held in front of the screen: the code a little bigger or smaller, a little off centre. */
const HAND_HELD: readonly { scale: number; dx: number; dy: number }[] = [
  { scale: 7, dx: 0, dy: 0 },
  { scale: 6, dx: 5, dy: -3 },
  { scale: 5, dx: -7, dy: 4 },
  { scale: 7, dx: 3, dy: 1 },
];

/**
 * Writes a Y4M video (what Chromium's `--use-file-for-fake-video-capture` plays, looping) of
 * `text` as a QR code on white, as a phone camera held in front of the screen would see it.
 */
export function writeQrVideo(path: string, text: string): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  // 4:2:0 chroma at neutral: a grey-scale picture.
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frames = HAND_HELD.map(({ scale, dx, dy }) => {
    const quiet = 4;
    const extent = modules.size + quiet * 2;
    const left = Math.floor((WIDTH - extent * scale) / 2) + dx;
    const top = Math.floor((HEIGHT - extent * scale) / 2) + dy;
    const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (!modules.get(row, col)) continue;
        for (let y = 0; y < scale; y++) {
          const start = (top + (row + quiet) * scale + y) * WIDTH + left + (col + quiet) * scale;
          luma.fill(BLACK, start, start + scale);
        }
      }
    }
    return Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  });
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F4:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...frames]));
}
