import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DiskFileView, ImDialogMessages } from '@portaldesk/protocol';
import S3rver from 's3rver';
import { createUserWithPassword } from '../testing/auth-fixtures.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { S3BlobStore, type S3Settings } from './s3-blob-store.ts';

// An S3-compatible server from npm (s3rver: the S3 REST API over a local folder) stands in for
// the object store several server processes share.
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';

let s3: S3rver;
let s3Dir: string;
let settings: S3Settings;
before(async () => {
  s3Dir = await mkdtemp(join(tmpdir(), 'portaldesk-s3rver-'));
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: 'files', configs: [] }],
  });
  const { port } = (await s3.run()) as { port: number };
  settings = { bucket: 'files', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', prefix: 'test/' };
});
after(async () => {
  await s3.close();
  await rm(s3Dir, { recursive: true, force: true });
});

const SHA = 'a'.repeat(64);

describe('file bodies in an S3-compatible store', () => {
  test('put, read back, put again (kept once), delete', async () => {
    const incoming = await mkdtemp(join(tmpdir(), 'portaldesk-s3-incoming-'));
    const store = new S3BlobStore(settings, incoming);
    try {
      const path = join(incoming, 'body');
      await writeFile(path, 'the bytes');
      assert.equal(await store.read(SHA), null);
      await store.put(SHA, path, 9);
      await store.put(SHA, path, 9);
      const body = await store.read(SHA);
      assert.ok(body);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), 'the bytes');
      await store.delete(SHA);
      assert.equal(await store.read(SHA), null);
    } finally {
      store.close();
      await rm(incoming, { recursive: true, force: true });
    }
  });

  test('a whole server keeps chat files there: upload, post, fetch as a member', async () => {
    let server: TestServer | undefined;
    try {
      server = await startTestServer({
        config: { files: { sizeLimit: 10 * 1024 * 1024, dir: undefined, s3: settings } },
      });
      const portal = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
      const ann = await createUserWithPassword(
        server,
        portal.id,
        { firstName: 'Ann', lastName: 'Lee', username: 'ann' },
        'ann password 1',
      );
      const ben = await createUserWithPassword(
        server,
        portal.id,
        { firstName: 'Ben', lastName: 'Ito', username: 'ben' },
        'ben password 1',
      );
      const annDesktop = new TestDesktop(server, 'acme.localhost');
      const benDesktop = new TestDesktop(server, 'acme.localhost');
      assert.equal((await annDesktop.signIn('ann', 'ann password 1')).status, 200);
      assert.equal((await benDesktop.signIn('ben', 'ben password 1')).status, 200);
      const folder = (await benDesktop.rest('im.disk.folder.get', { DIALOG_ID: ann.id })).body.result as {
        ID: number;
        CHAT_ID: number;
      };
      const uploaded = await benDesktop.rest('disk.folder.uploadfile', {
        id: folder.ID,
        data: { NAME: 'minutes.txt' },
        fileContent: ['minutes.txt', Buffer.from('Minutes of the meeting').toString('base64')],
      });
      const file = uploaded.body.result as DiskFileView;
      assert.equal(file.NAME, 'minutes.txt', JSON.stringify(uploaded.body));
      await benDesktop.rest('im.disk.file.commit', { CHAT_ID: folder.CHAT_ID, UPLOAD_ID: file.ID });
      const history = (
        await annDesktop.rest('im.dialog.messages.get', {
          DIALOG_ID: ben.id,
        })
      ).body.result as ImDialogMessages;
      const [listed] = history.files;
      assert.ok(listed);
      const res = await server.fetch(`${server.portalUrl('acme.localhost')}${listed.urlDownload}`, {
        headers: annDesktop.cookieHeader(),
      });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'Minutes of the meeting');
    } finally {
      await server?.close();
    }
  });
});
