import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullCommandEffect } from '../realtime/pull-command-effect.ts';
import {
  attachedFilesLabel,
  type ChatFile,
  ChatFileSchema,
  fileSizeLabel,
  filesOfMessage,
  imageBox,
} from './chat-file.ts';

const picture: ChatFile = ChatFileSchema.parse({
  id: 7,
  type: 'image',
  name: 'view.png',
  size: 2048,
  image: { width: 1600, height: 900 },
  urlPreview: '/disk/file/7/k/preview',
});
const report: ChatFile = ChatFileSchema.parse({ id: 8, type: 'file', name: 'report.pdf', size: 1_300_000 });

test('a picture keeps its proportions within the box, and is never enlarged', () => {
  assert.deepEqual(imageBox({ width: 1600, height: 900 }, 320, 280), { width: 320, height: 180 });
  assert.deepEqual(imageBox({ width: 200, height: 300 }, 320, 280), { width: 187, height: 280 });
  assert.deepEqual(imageBox({ width: 40, height: 30 }, 320, 280), { width: 40, height: 30 });
});

test('a message lists its files in its own order; a deleted file is left out', () => {
  assert.deepEqual(
    filesOfMessage([8, 7, 9], [picture, report]).map((f) => f.id),
    [8, 7],
  );
  assert.deepEqual(filesOfMessage(undefined, [picture]), []);
});

test('the chat list names what a message of files holds', () => {
  assert.equal(attachedFilesLabel({ files: [picture] }), 'Picture');
  assert.equal(attachedFilesLabel({ files: [report] }), 'File: report.pdf');
  assert.equal(attachedFilesLabel({ files: [picture, report] }), '2 files');
  assert.equal(attachedFilesLabel({ file: true }), 'File');
  assert.equal(attachedFilesLabel({ file: false }), '');
  assert.equal(attachedFilesLabel({ file: false, text: 'Hello' }), '');
  assert.equal(attachedFilesLabel({ file: false, text: '' }), 'File deleted', 'its files were deleted since');
  assert.equal(fileSizeLabel(1_300_000), '1.2 MB');
  assert.equal(fileSizeLabel(32), '32 B');
});

test('a message event brings its files with it', () => {
  const effect = pullCommandEffect(
    'messageChat',
    {
      chatId: 4,
      counter: 1,
      message: { id: 50, senderId: 2, date: '2026-01-01T10:00:00+00:00', text: '', params: { FILE_ID: [8] } },
      files: [{ id: 8, type: 'file', name: 'report.pdf', size: 10 }],
    },
    3,
  );
  assert.equal(effect?.kind, 'message');
  if (effect?.kind !== 'message') return;
  assert.deepEqual(effect.message.params, { FILE_ID: [8] });
  assert.deepEqual(
    effect.message.files?.map((f) => f.name),
    ['report.pdf'],
  );
});
