/**
 * The screen of a virtual display as a PNG: Xvfb started with `-fbdir DIR` keeps its screen in
 * DIR/Xvfb_screen0 as an X window dump (XWD), which this converts (24-bit TrueColor, 32 bits
 * per pixel, as Xvfb makes it). For the install test, where the clean system has no screenshot tool.
 *
 *   npx tsx scripts/desktop-app/xwd-to-png.ts <Xvfb_screen0> <out.png>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

function xwdToPng(xwd: Buffer): Buffer {
  const field = (index: number) => xwd.readUInt32BE(index * 4);
  const headerSize = field(0);
  const [width, height, byteOrder, bitsPerPixel, bytesPerLine, colormapEntries] = [
    field(4),
    field(5),
    field(7),
    field(11),
    field(12),
    field(19),
  ];
  if (bitsPerPixel !== 32) throw new Error(`only 32 bits per pixel is read, not ${bitsPerPixel}`);
  const pixels = headerSize + colormapEntries * 12;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = pixels + y * bytesPerLine + x * 4;
      const value = byteOrder === 0 ? xwd.readUInt32LE(at) : xwd.readUInt32BE(at);
      const out = (y * width + x) * 4;
      png.data[out] = (value >> 16) & 0xff;
      png.data[out + 1] = (value >> 8) & 0xff;
      png.data[out + 2] = value & 0xff;
      png.data[out + 3] = 0xff;
    }
  }
  return PNG.sync.write(png);
}

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: xwd-to-png.ts <Xvfb_screen0> <out.png>');
writeFileSync(output, xwdToPng(readFileSync(input)));
