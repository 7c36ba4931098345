import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startRecordingNotificationService } from '../testing/recording-notification-service.ts';
import { startSessionBus } from '../testing/session-bus.ts';
import {
  CHECK_INTERVAL_MS,
  checkForUpdate,
  FIRST_CHECK_DELAY_MS,
  startUpdateChecks,
  UpdateCheckError,
} from './update-check.ts';
import type { AvailableUpdate } from './update-manifest.ts';
import { showUpdateNotice } from './update-notice.ts';

/** A local update server: `/manifest.json` answers what the test put in `manifest`; every request is recorded. */
let server: Server;
let origin = '';
let manifest: { status: number; body: string } = { status: 200, body: '{}' };
const requested: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    if (request.url === '/manifest.json') {
      response.writeHead(manifest.status, { 'content-type': 'application/json' }).end(manifest.body);
    } else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('binary');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const serve = (document: unknown, status = 200) => {
  manifest = { status, body: typeof document === 'string' ? document : JSON.stringify(document) };
};
const check = (currentVersion: string) => checkForUpdate({ manifestUrl: `${origin}/manifest.json`, currentVersion });
const failsWith = async (code: string, promise: Promise<unknown>) =>
  assert.rejects(promise, (e: unknown) => e instanceof UpdateCheckError && e.code === code);

test('a newer version in the manifest is reported with its download page; only the manifest is fetched', async () => {
  requested.length = 0;
  serve({ version: '0.2.0', url: `${origin}/download/portaldesk_0.2.0_amd64.deb`, notes: 'Faster start' });
  assert.deepEqual(await check('0.1.0'), {
    version: '0.2.0',
    url: `${origin}/download/portaldesk_0.2.0_amd64.deb`,
    notes: 'Faster start',
  });
  assert.deepEqual(requested, ['/manifest.json'], 'nothing is downloaded');
});

test('versions compare as semver, not as text', async () => {
  serve({ version: '1.10.0', url: 'https://example.com/download' });
  assert.equal((await check('1.9.3'))?.version, '1.10.0');
  assert.equal(await check('1.10.0'), undefined, 'the same version is not an update');
  assert.equal(await check('2.0.0-rc.1'), undefined, 'an older version is not an update');
  serve({ version: '1.0.0', url: 'https://example.com/download' });
  assert.equal((await check('1.0.0-rc.2'))?.version, '1.0.0', 'the release is newer than its release candidate');
});

test('a manifest that is not one is an error with a code, never an update', async () => {
  serve('<html>maintenance</html>');
  await failsWith('UPDATE_MANIFEST_INVALID', check('0.1.0'));
  serve({ version: 'latest', url: 'https://example.com/download' });
  await failsWith('UPDATE_MANIFEST_INVALID', check('0.1.0'));
  serve({ version: '9.0.0', url: 'javascript:alert(1)' });
  await failsWith('UPDATE_MANIFEST_INVALID', check('0.1.0'));
  serve({ version: '9.0.0', url: 'http://downloads.example.com/portaldesk' });
  await failsWith('UPDATE_MANIFEST_INVALID', check('0.1.0'));
  serve({ version: '9.0.0', url: 'https://example.com/download', notes: 'x'.repeat(70_000) });
  await failsWith('UPDATE_MANIFEST_INVALID', check('0.1.0'));
  serve({ version: '9.0.0', url: 'https://example.com/download' }, 503);
  await failsWith('UPDATE_FETCH_FAILED', check('0.1.0'));
  await failsWith(
    'UPDATE_FETCH_FAILED',
    checkForUpdate({ manifestUrl: 'http://127.0.0.1:1/manifest.json', currentVersion: '0.1.0' }),
  );
});

test('the update address must be https (http only on this machine)', async () => {
  for (const address of ['http://updates.example.com/manifest.json', 'file:///etc/passwd', 'not a url']) {
    assert.throws(
      () => startUpdateChecks({ manifestUrl: address, currentVersion: '0.1.0', onAvailable: () => undefined }),
      (e: unknown) => e instanceof UpdateCheckError && e.code === 'UPDATE_ADDRESS_INVALID',
    );
  }
});

test('checks run after start-up and then daily; each newer version is told once', async () => {
  const timers: { callback: () => void; ms: number }[] = [];
  const told: AvailableUpdate[] = [];
  const logged: unknown[] = [];
  serve({ version: '0.2.0', url: 'https://example.com/download' });
  const checks = startUpdateChecks({
    manifestUrl: `${origin}/manifest.json`,
    currentVersion: '0.1.0',
    onAvailable: (update) => told.push(update),
    log: (message, fields) => logged.push({ message, ...fields }),
    setTimer: (callback, ms) => {
      timers.push({ callback, ms });
      return {};
    },
  });
  const fire = async () => {
    const timer = timers.shift()!;
    const waiting = timers.length;
    timer.callback();
    while (timers.length === waiting) await new Promise((resolve) => setTimeout(resolve, 10));
    return timer.ms;
  };
  assert.equal(told.length, 0, 'nothing is fetched during start-up');
  assert.equal(await fire(), FIRST_CHECK_DELAY_MS);
  assert.deepEqual(
    told.map((u) => u.version),
    ['0.2.0'],
  );
  assert.equal(await fire(), CHECK_INTERVAL_MS);
  assert.equal(told.length, 1, 'the same version is not told again the next day');
  serve('not json');
  await fire();
  assert.deepEqual(logged, [{ message: 'update check failed', code: 'UPDATE_MANIFEST_INVALID' }]);
  serve({ version: '0.3.0', url: 'https://example.com/download' });
  await fire();
  assert.deepEqual(
    told.map((u) => u.version),
    ['0.2.0', '0.3.0'],
  );
  checks.stop();
});

test('the user sees a notification; a click opens the download page in their browser', async () => {
  const bus = await startSessionBus();
  const service = await startRecordingNotificationService(bus.address);
  const opened: string[] = [];
  try {
    const shown = await showUpdateNotice(
      { version: '0.2.0', url: 'https://example.com/portaldesk/download', notes: 'Faster start' },
      {
        currentVersion: '0.1.0',
        busAddress: bus.address,
        openOutside: async (url) => {
          opened.push(url);
        },
      },
    );
    assert.equal(shown, true);
    await service.waitFor((received) => received.length === 1);
    const [notice] = service.received;
    assert.equal(notice!.summary, 'Portaldesk 0.2.0 is available');
    assert.match(notice!.body, /Faster start/);
    assert.match(notice!.body, /You have 0\.1\.0\. Click to open the download page \(example\.com\)/);
    assert.equal(opened.length, 0, 'nothing opens by itself');
    service.click(notice!.id);
    const deadline = Date.now() + 5_000;
    while (opened.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(opened, ['https://example.com/portaldesk/download']);
  } finally {
    await service.stop();
    await bus.stop();
  }
});

test('without a notification service the notice is not shown (the log line stays)', async () => {
  const shown = await showUpdateNotice(
    { version: '0.2.0', url: 'https://example.com/download' },
    { currentVersion: '0.1.0', busAddress: 'unix:path=/nonexistent/bus', openOutside: async () => undefined },
  );
  assert.equal(shown, false);
});
