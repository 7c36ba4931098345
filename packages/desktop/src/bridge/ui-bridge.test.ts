import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BRIDGE_EVENT_TYPE } from '@portaldesk/protocol';
import type { Page } from 'playwright-core';
import { findBrowser } from '../browser/browser-discovery.ts';
import { PortalError } from '../portal/portal-errors.ts';
import { descendantsOf } from '../testing/process-tree.ts';
import { sendHtml, startTestWebServer, type TestWebServer } from '../testing/test-web-server.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';
import type { AppWindow } from '../windows/window-manager.ts';
import { WindowManager } from '../windows/window-manager.ts';
import { sendBridgeEvent } from './bridge-events.ts';
import { attachBridge, type BridgeHandlers } from './ui-bridge.ts';

let display: VirtualDisplay;
let web: TestWebServer;
let manager: WindowManager;
let own: AppWindow;
let chat: AppWindow;
const problems: string[] = [];
/** The channels whose handler ran. */
const handled: string[] = [];
const userDataDir = mkdtempSync(join(tmpdir(), 'portaldesk-bridge-'));

const idleQrView = {
  version: 0,
  step: 'idle' as const,
  host: null,
  qrUrl: null,
  expiresAt: null,
  checkCodeLength: null,
  message: null,
};

const handlers: BridgeHandlers = {
  'app.info': async () => ({ version: '0.1.0', vaultWarning: null, settingsWarning: null }),
  'login.checkPortal': async ({ address }) => {
    throw new PortalError('PORTAL_NOT_FOUND', `There is no ${address}. Check the portal address.`);
  },
  'login.signIn': async () => {
    throw new Error('database password is hunter2');
  },
  'accounts.list': async () => ({ accounts: [] }),
  'accounts.switch': async () => ({}),
  'accounts.add': async () => ({}),
  'accounts.reorder': async () => ({}),
  'accounts.signInAgain': async () => ({}),
  'accounts.signOut': async () => ({}),
  'accounts.remove': async () => {
    handled.push('accounts.remove');
    return {};
  },
  'accounts.setMuted': async () => ({}),
  'accounts.setNotifications': async () => ({}),
  'settings.get': async () => ({ doNotDisturb: false, closeToTray: true, startOnLogin: false }),
  'settings.update': async () => ({ doNotDisturb: false, closeToTray: true, startOnLogin: false }),
  'window.close': async () => ({}),
  'qr.start': async () => idleQrView,
  'qr.status': async () => idleQrView,
  'qr.confirm': async () => ({ accepted: false, triesLeft: 2 }),
  'qr.cancel': async () => ({}),
  'network.signIn': async () => ({ portals: [] }),
  'network.addAccounts': async () => ({ accountIds: [] }),
  'network.signOut': async () => ({}),
  'chat.account': async () => ({ account: null }),
  'chat.rest': async ({ method }) => ({ result: { called: method } }),
  'chat.showAccount': async () => ({}),
  'chat.viewing': async () => ({}),
  'chat.fileSend': async () => ({}),
  'chat.fileRead': async () => ({ contentType: 'image/webp', contentBase64: '' }),
};

before(async () => {
  display = await startXvfb();
  web = await startTestWebServer({
    '/ui/login': (_q, response) =>
      sendHtml(
        response,
        `<!doctype html><title>Sign in</title><h1>Sign in</h1><iframe src="http://other.localhost:${web.port}/frame"></iframe>`,
      ),
    '/frame': (_q, response) => sendHtml(response, '<p>embedded</p>'),
    '/ui/chat': (_q, response) => sendHtml(response, '<!doctype html><title>Chats</title><h1>Chats</h1>'),
    '/portal': (_q, response) => sendHtml(response, '<title>Portal</title><p>portal</p>'),
  });
  manager = new WindowManager({
    browser: findBrowser(),
    userDataDir,
    env: { ...process.env, DISPLAY: display.display },
  });
  // Each window is given every handler, to show that the channel list still keeps it to its own.
  own = await openOwnWindow('login');
  chat = await openOwnWindow('chat');
});

after(async () => {
  await manager?.quit();
  await web?.close();
  await display?.stop();
  rmSync(userDataDir, { recursive: true, force: true });
});

/** One of the desktop's own windows, showing `/ui/<name>`, with the bridge for that window. */
function openOwnWindow(name: 'login' | 'chat'): Promise<AppWindow> {
  const uiOrigin = `http://127.0.0.1:${web.port}`;
  return manager.openWindow(
    { kind: 'own', name, url: `${uiOrigin}/ui/${name}` },
    {
      beforeLoad: (page) =>
        attachBridge(page, { uiOrigin, window: name, handlers, onProblem: ({ code }) => problems.push(code) }),
    },
  );
}

function call(page: Page, channel: string, request: unknown) {
  return page.evaluate(
    ([c, r]) =>
      (window as unknown as { __portaldeskBridge: (c: unknown, r: unknown) => Promise<unknown> }).__portaldeskBridge(
        c,
        r,
      ),
    [channel, request] as const,
  );
}

test("the desktop's own window reaches the main process, and its first script already can", async () => {
  assert.deepEqual(await call(own.page, 'app.info', {}), {
    ok: true,
    result: { version: '0.1.0', vaultWarning: null, settingsWarning: null },
  });
  assert.equal(await own.page.evaluate(() => performance.getEntriesByType('navigation').length), 1);
  assert.equal(
    await own.page.evaluate(() => typeof (window as unknown as Record<string, unknown>).__portaldeskBridge),
    'function',
  );
});

test('requests are checked against the channel list', async () => {
  assert.deepEqual(await call(own.page, 'fs.readFile', { path: '/etc/passwd' }), {
    ok: false,
    error: { code: 'BRIDGE_UNKNOWN_CHANNEL', message: 'Unknown bridge channel' },
  });
  assert.deepEqual(await call(own.page, 'toString', {}), {
    ok: false,
    error: { code: 'BRIDGE_UNKNOWN_CHANNEL', message: 'Unknown bridge channel' },
  });
  const bad = (await call(own.page, 'login.checkPortal', { address: 42 })) as { error: { code: string } };
  assert.equal(bad.error.code, 'BRIDGE_BAD_REQUEST');
  const extra = (await call(own.page, 'app.info', { sneaky: true })) as { error: { code: string } };
  assert.equal(extra.error.code, 'BRIDGE_BAD_REQUEST');
});

test('typed errors reach the window as they are; anything else is not passed on', async () => {
  assert.deepEqual(await call(own.page, 'login.checkPortal', { address: 'nowhere.example' }), {
    ok: false,
    error: { code: 'PORTAL_NOT_FOUND', message: 'There is no nowhere.example. Check the portal address.' },
  });
  const internal = await call(own.page, 'login.signIn', { address: 'a.example', login: 'ann', password: 'pw' });
  assert.deepEqual(internal, {
    ok: false,
    error: { code: 'BRIDGE_INTERNAL', message: 'Something went wrong in Portaldesk' },
  });
  assert.doesNotMatch(JSON.stringify(internal), /hunter2/);
});

test('a frame of another site inside the window cannot use the bridge', async () => {
  const frame = own.page.frames().find((f) => f.url().includes('/frame'));
  assert.ok(frame);
  const answer = (await frame.evaluate(() =>
    (window as unknown as { __portaldeskBridge?: (c: string, r: unknown) => Promise<unknown> }).__portaldeskBridge?.(
      'app.info',
      {},
    ),
  )) as { ok: boolean; error?: { code: string } } | undefined;
  assert.notEqual(answer?.ok, true);
  if (answer) assert.equal(answer.error?.code, 'BRIDGE_FORBIDDEN');
});

test("a portal's window has no bridge at all", async () => {
  const portal = await manager.openWindow({
    kind: 'account',
    accountId: 'acme-ann',
    url: `http://portal.localhost:${web.port}/portal`,
  });
  assert.equal(
    await portal.page.evaluate(() => typeof (window as unknown as Record<string, unknown>).__portaldeskBridge),
    'undefined',
  );
});

test("a window calling another window's channel gets a clear error, and nothing happens", async () => {
  assert.deepEqual(await call(own.page, 'accounts.remove', { accountId: 'a1' }), {
    ok: false,
    error: { code: 'BRIDGE_WRONG_WINDOW', message: 'The login window may not use accounts.remove' },
  });
  // Refused before the request is read: a malformed one gets the same answer.
  const malformed = (await call(own.page, 'accounts.remove', { accountId: 42 })) as { error: { code: string } };
  assert.equal(malformed.error.code, 'BRIDGE_WRONG_WINDOW');
  assert.deepEqual(await call(chat.page, 'login.signIn', { address: 'a.example', login: 'ann', password: 'pw' }), {
    ok: false,
    error: { code: 'BRIDGE_WRONG_WINDOW', message: 'The chat window may not use login.signIn' },
  });
  assert.deepEqual(handled, [], 'no handler ran');
  assert.ok(problems.includes('BRIDGE_WRONG_WINDOW'), 'the refusal is logged');
  // The channels both windows have still answer in each.
  assert.equal(((await call(chat.page, 'app.info', {})) as { ok: boolean }).ok, true);
});

test('the chat window reaches only the messenger methods of the portal', async () => {
  assert.deepEqual(
    await call(chat.page, 'chat.rest', { accountId: 'a1', method: 'im.message.add', params: { DIALOG_ID: '3' } }),
    { ok: true, result: { result: { called: 'im.message.add' } } },
  );
  for (const method of ['portaldesk.session.logout', 'user.current', 'app.password.add']) {
    const refused = (await call(chat.page, 'chat.rest', { accountId: 'a1', method, params: {} })) as {
      error: { code: string };
    };
    assert.equal(refused.error.code, 'BRIDGE_BAD_REQUEST', method);
  }
});

test("the main process's events reach the window's listeners, checked against their schema", async () => {
  const uiOrigin = `http://127.0.0.1:${web.port}`;
  await own.page.evaluate((type) => {
    const got: unknown[] = [];
    (window as unknown as { got: unknown[] }).got = got;
    window.addEventListener(type, (event) => got.push((event as CustomEvent).detail));
  }, BRIDGE_EVENT_TYPE);
  assert.equal(await sendBridgeEvent(own.page, uiOrigin, 'chat.resync', { accountId: 'a1' }), true);
  await assert.rejects(
    sendBridgeEvent(own.page, uiOrigin, 'chat.openDialog', { accountId: 'a1', dialogId: 'javascript:alert(1)' }),
  );
  assert.deepEqual(await own.page.evaluate(() => (window as unknown as { got: unknown[] }).got), [
    { name: 'chat.resync', payload: { accountId: 'a1' } },
  ]);
  assert.equal(
    await sendBridgeEvent(own.page, 'http://other.localhost', 'chat.resync', { accountId: 'a1' }),
    false,
    'nothing is sent to a page that shows another origin',
  );
});

test('once the window shows another site, the bridge refuses it', async () => {
  const page = own.page;
  await page.goto(`http://portal.localhost:${web.port}/portal`);
  const answer = (await call(page, 'app.info', {})) as { ok: boolean; error?: { code: string } };
  assert.deepEqual(answer, {
    ok: false,
    error: { code: 'BRIDGE_FORBIDDEN', message: 'This page may not use the Portaldesk bridge' },
  });
  assert.ok(problems.includes('BRIDGE_FORBIDDEN'));
});

test('the browser is driven over a pipe: no DevTools port for other programs', async () => {
  const browsers = descendantsOf(process.pid).filter((p) => p.command.includes(`--user-data-dir=${userDataDir}`));
  assert.ok(browsers.length > 0);
  for (const browser of browsers) {
    assert.doesNotMatch(browser.command, /--remote-debugging-port/);
  }
  assert.ok(browsers.some((b) => b.command.includes('--remote-debugging-pipe')));
  assert.equal(existsSync(join(userDataDir, 'DevToolsActivePort')), false);
});
