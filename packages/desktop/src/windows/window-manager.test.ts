import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { findBrowser } from '../browser/browser-discovery.ts';
import { descendantsOf, isRunning } from '../testing/process-tree.ts';
import { sendHtml, startTestWebServer, type TestWebServer } from '../testing/test-web-server.ts';
import { startXvfb, type VirtualDisplay } from '../testing/xvfb.ts';
import { WindowManager } from './window-manager.ts';

const screenshots = join(process.cwd(), 'test-output', 'screenshots');
let display: VirtualDisplay;
let web: TestWebServer;
let manager: WindowManager;
let lastWindowClosed = 0;
const userDataDir = mkdtempSync(join(tmpdir(), 'portaldesk-windows-'));

// A stand-in portal that keeps who is signed in in a cookie and in localStorage.
const portalPage = (
  who: string,
) => `<!doctype html><title>Portal</title><body><h1 id="who">Signed in as ${who}</h1><p id="stored"></p><script>
  const who = '${who}';
  if (who !== 'nobody' && !localStorage.getItem('user')) localStorage.setItem('user', who);
  document.getElementById('stored').textContent = 'Stored: ' + (localStorage.getItem('user') || 'nothing');
</script>`;

before(async () => {
  display = await startXvfb();
  web = await startTestWebServer({
    '/ui/login': (_q, response) =>
      sendHtml(response, '<!doctype html><title>Sign in</title><h1>Portaldesk sign-in</h1>'),
    '/sign-in': (_q, response, url) => {
      const user = url.searchParams.get('user') ?? '';
      response
        .writeHead(302, {
          location: '/',
          'set-cookie': `session=${user}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
        })
        .end();
    },
    '/': (request, response) => {
      const who = /(?:^|; )session=([a-z]+)/.exec(request.headers.cookie ?? '')?.[1] ?? 'nobody';
      sendHtml(response, portalPage(who));
    },
  });
  mkdirSync(screenshots, { recursive: true });
  manager = new WindowManager({
    browser: findBrowser(),
    userDataDir,
    env: { ...process.env, DISPLAY: display.display },
    onLastWindowClosed: () => {
      lastWindowClosed += 1;
    },
  });
});

after(async () => {
  await manager?.quit();
  await web?.close();
  await display?.stop();
  rmSync(userDataDir, { recursive: true, force: true });
});

const portal = () => `http://portal.localhost:${web.port}`;

async function browserChrome(page: Page): Promise<number> {
  return page.evaluate(() => window.outerHeight - window.innerHeight);
}

async function shows(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

test('the app window has no tabs, address bar or warning bar', async () => {
  const login = await manager.openWindow({
    kind: 'own',
    name: 'login',
    url: `http://127.0.0.1:${web.port}/ui/login`,
    size: { width: 480, height: 600 },
  });
  assert.equal(await login.page.title(), 'Sign in');
  assert.ok((await browserChrome(login.page)) < 20, 'no browser UI above the page');
  assert.deepEqual(await login.page.evaluate(() => [window.outerWidth, window.outerHeight]), [480, 600]);
  await login.page.screenshot({ path: join(screenshots, 'desktop-app-window.png') });

  // The same measure on an ordinary browser window, to show that it sees the browser's UI.
  const ordinary = await login.page.context().newPage();
  assert.ok((await browserChrome(ordinary)) > 60, 'an ordinary window has tabs and an address bar');
  await ordinary.close();
});

test('two accounts on the same portal are signed in side by side', async () => {
  const ann = await manager.openWindow({ kind: 'account', accountId: 'acme-ann', url: `${portal()}/sign-in?user=ann` });
  const bob = await manager.openWindow({ kind: 'account', accountId: 'acme-bob', url: `${portal()}/sign-in?user=bob` });
  await ann.page.waitForURL(`${portal()}/`);
  await bob.page.waitForURL(`${portal()}/`);
  assert.ok((await browserChrome(bob.page)) < 20, 'account windows are app windows too');
  await ann.page.reload();
  assert.equal(await shows(ann.page, '#who'), 'Signed in as ann');
  assert.equal(await shows(ann.page, '#stored'), 'Stored: ann');
  assert.equal(await shows(bob.page, '#who'), 'Signed in as bob');
  assert.equal(await shows(bob.page, '#stored'), 'Stored: bob');
  await bob.page.screenshot({ path: join(screenshots, 'desktop-account-window.png') });

  const annAgain = await manager.openWindow({ kind: 'account', accountId: 'acme-ann', url: `${portal()}/` });
  assert.equal(await shows(annAgain.page, '#who'), 'Signed in as ann', "an account's windows share its session");
  assert.equal(manager.windows().filter((w) => w.target.kind === 'account').length, 3);
});

test("removing an account deletes its cookies and storage, not the other account's", async () => {
  await manager.removeAccountData('acme-ann', [portal()]);
  assert.equal(
    manager.windows().some((w) => w.target.kind === 'account' && w.target.accountId === 'acme-ann'),
    false,
  );
  const fresh = await manager.openWindow({ kind: 'account', accountId: 'acme-ann', url: `${portal()}/` });
  assert.equal(await shows(fresh.page, '#who'), 'Signed in as nobody');
  assert.equal(await shows(fresh.page, '#stored'), 'Stored: nothing');
  const bob = await manager.openWindow({ kind: 'account', accountId: 'acme-bob', url: `${portal()}/` });
  assert.equal(await shows(bob.page, '#who'), 'Signed in as bob');
});

test('when the user closes every window the browser ends; the next window starts it again', async () => {
  // The browser process itself; its helpers (renderers, GPU, zygote) carry a --type switch.
  const browserBefore = descendantsOf(process.pid).filter(
    (p) => p.command.includes('--remote-debugging-pipe') && !p.command.includes('--type='),
  );
  assert.equal(browserBefore.length, 1);
  for (const window of manager.windows()) await manager.closeWindow(window);
  const deadline = Date.now() + 10_000;
  while ((lastWindowClosed === 0 || browserBefore.some((p) => isRunning(p.pid))) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  assert.equal(isRunning(browserBefore[0]!.pid), false, 'no window, no browser process');
  assert.equal(lastWindowClosed, 1, 'the app is told, so it can quit or stay in the tray');
  const again = await manager.openWindow({ kind: 'account', accountId: 'acme-bob', url: `${portal()}/` });
  // Its profile is kept on disk: lasting cookies and storage survive (session cookies, as in any
  // browser, do not; the app signs an account in again when it opens its window).
  assert.equal(await shows(again.page, '#who'), 'Signed in as bob');
  assert.equal(await shows(again.page, '#stored'), 'Stored: bob');
});

test('a window closed while it is still opening gives way: later windows and quit are not held up', async () => {
  const closedEarly = manager.openWindow(
    { kind: 'account', accountId: 'acme-carl', url: `${portal()}/` },
    {
      // The user closes the window during its set-up, and the set-up never settles (as
      // Playwright's calls may not on a page whose browser process is ending).
      beforeLoad: async (page) => {
        await page.close();
        await new Promise(() => undefined);
      },
    },
  );
  await assert.rejects(closedEarly, { code: 'WINDOW_DID_NOT_OPEN' });
  const next = await manager.openWindow({ kind: 'account', accountId: 'acme-bob', url: `${portal()}/` });
  assert.equal(await shows(next.page, '#who'), 'Signed in as bob');
});

test('quitting ends the browser and every process it started', async () => {
  const before = descendantsOf(process.pid).filter((p) => p.command.includes('chromium'));
  assert.ok(before.length > 0, 'the browser runs as a child of the app');
  await manager.quit();
  assert.equal(lastWindowClosed, 1, 'quitting is not the user closing the last window');
  const left = descendantsOf(process.pid).filter((p) => p.command.includes('chromium'));
  assert.deepEqual(left, []);
  for (const { pid } of before) assert.equal(isRunning(pid), false, `process ${pid} ended`);
});

test('the browser has ended, profile written, when quit returns, even just after the user closed the last window', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portaldesk-windows-quit-'));
  let told: () => void = () => undefined;
  const lastClosed = new Promise<void>((resolve) => {
    told = resolve;
  });
  const racing = new WindowManager({
    browser: findBrowser(),
    userDataDir: dir,
    env: { ...process.env, DISPLAY: display.display },
    onLastWindowClosed: () => told(),
  });
  try {
    const only = await racing.openWindow({ kind: 'account', accountId: 'acme-bob', url: `${portal()}/` });
    await racing.closeWindow(only);
    // The app hears of it as soon as the browser drops its connection, while it is still ending.
    await lastClosed;
    await racing.quit();
    assert.deepEqual(
      descendantsOf(process.pid).filter((p) => p.command.includes('chromium')),
      [],
      'no browser process is left',
    );
    assert.equal(existsSync(join(dir, 'SingletonLock')), false, 'the profile is free for the next start');
    assert.doesNotThrow(() => rmSync(dir, { recursive: true }), 'nothing writes into the profile any more');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('at start, profiles of accounts no longer in the settings are deleted', async () => {
  mkdirSync(join(userDataDir, 'pd-account-ghost'), { recursive: true });
  const idle = new WindowManager({ browser: findBrowser(), userDataDir });
  await idle.sweepAccountProfiles(['acme-bob']);
  const left = readdirSync(userDataDir).filter((entry) => entry.startsWith('pd-account-'));
  assert.deepEqual(left, ['pd-account-acme-bob']);
});
