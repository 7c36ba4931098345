import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUserWithPassword, startTestServer, TestDesktop, type TestServer } from '@portaldesk/server/testing';
import { createDesktopFetch } from '../portal/desktop-http-client.ts';
import { PortalError } from '../portal/portal-errors.ts';
import { DesktopQrSignIn } from './desktop-qr-sign-in.ts';

// The main process's QR sign-in against a real server, without windows: what the login window
// is shown as the code rotates, and what it is refused.
let server: TestServer;
let address: string;
const signedIn: number[] = [];
let qr: DesktopQrSignIn;

before(async () => {
  server = await startTestServer();
  const acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  await createUserWithPassword(server, acme.id, { firstName: 'Ann', lastName: 'Lee', username: 'ann' }, 'pw');
  address = `acme.localhost:${server.port}`;
  qr = new DesktopQrSignIn({
    fetch: createDesktopFetch(),
    device: { deviceName: 'Test box', os: 'Linux', user_os_mark: 'mark', user_account: 'ann' },
    signedIn: async (_portal, result) => void signedIn.push(result.userId),
    rotateEveryMs: 300,
  });
});
after(async () => {
  await qr.stop();
  await server.close();
});

test('the QR the window shows is replaced as the code rotates, until a phone scans', async () => {
  const first = await qr.start(address);
  assert.equal(first.step, 'waiting_for_scan');
  assert.equal(first.host, address);
  const rotated = await qr.status(first.version, 5_000);
  assert.ok(rotated.qrUrl && rotated.qrUrl !== first.qrUrl, 'a fresh code');

  const phone = new TestDesktop(server, 'acme.localhost', { user_os_mark: '', user_account: '' });
  assert.equal((await phone.signIn('ann', 'pw')).status, 200);
  // The code here rotates every 300 ms, so on a busy machine it can rotate away between reading
  // it and scanning it; the server then refuses that code (410) and the phone scans the new one.
  let current = await qr.status(-1);
  for (let scans = 1; ; scans++) {
    const scan = await phone.rest('portaldesk.qrsignin.scan', { QR: current.qrUrl });
    if (scan.status === 200) break;
    assert.equal(scan.status, 410, 'only a rotated-away code is refused');
    assert.ok(scans < 10, 'the phone got a current code in time');
    current = await qr.status(-1);
  }
  let view = await qr.status(current.version, 5_000);
  while (view.step === 'waiting_for_scan') view = await qr.status(view.version, 5_000);
  assert.equal(view.step, 'scanned');
  const settled = await qr.status(view.version, 1_000);
  assert.equal(settled.qrUrl, view.qrUrl, 'no rotation after the scan');
  assert.deepEqual(await qr.confirm('000-000'), { accepted: false, triesLeft: 2 });
  assert.match((await qr.status(-1)).message ?? '', /2 tries left/);
});

test('a wrong address is refused as the password sign-in refuses it; a code with nothing to check, too', async () => {
  await assert.rejects(qr.start('shop.invalid'), (error: unknown) => error instanceof PortalError);
  assert.equal((await qr.status(-1)).step, 'idle');
  await assert.rejects(qr.confirm('123456'), /no code to check/);
  await qr.cancel();
  assert.deepEqual(signedIn, []);
});
