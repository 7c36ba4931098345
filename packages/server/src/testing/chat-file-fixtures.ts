import assert from 'node:assert/strict';
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
