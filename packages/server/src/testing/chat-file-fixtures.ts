import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { TestDesktop } from './test-desktop.ts';

/** A picture of `width` × `height`, left half red and right half blue, so a screenshot shows it is the real one. */
export async function testPicture(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const half = await sharp({
    create: { width: Math.max(1, Math.round(width / 2)), height, channels: 3, background: '#ff5752' },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#2fc6f6' } })
    .composite([{ input: half, left: 0, top: 0 }])
    [format]()
    .toBuffer();
}

/** Sends a file into a dialog as `from` would by REST: the chat's folder, a Base64 upload, the commit. */
export async function sendFileByRest(
  from: TestDesktop,
  dialogId: number | string,
  name: string,
  bytes: Uint8Array,
  message = '',
): Promise<number> {
  const folder = await from.rest('im.disk.folder.get', { DIALOG_ID: dialogId });
  assert.equal(folder.status, 200, JSON.stringify(folder.body));
  const { ID, CHAT_ID } = folder.body.result as { ID: number; CHAT_ID: number };
  const uploaded = await from.rest('disk.folder.uploadfile', {
    id: ID,
    data: { NAME: name },
    fileContent: [name, Buffer.from(bytes).toString('base64')],
  });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const fileId = (uploaded.body.result as { ID: number }).ID;
  const committed = await from.rest('im.disk.file.commit', { CHAT_ID, UPLOAD_ID: [fileId], MESSAGE: message });
  assert.equal(committed.status, 200, JSON.stringify(committed.body));
  return fileId;
}

/**
 * A valid PNG claiming these dimensions: its header, a first sliver of compressed pixels and its
 * end. Decoded, it would need width × height × 3 bytes (7.5 GB for 50,000²).
 */
export function bombHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(width * 3 + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
  return Buffer.concat([length, Buffer.from(type), data, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
