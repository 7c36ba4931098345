import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '@portaldesk/server/testing';
import type { Browser } from 'playwright-core';
import { seriousAccessibilityViolations, smallTouchTargets } from '../testing/accessibility.ts';
import {
  DESKTOP_VIEWPORT,
  launchBrowser,
  openWatchedPage,
  PHONE_VIEWPORT,
  saveScreenshot,
} from '../testing/browser.ts';

let server: TestServer;
let browser: Browser;
let origin: string;

before(async () => {
  server = await startTestServer();
  await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  origin = server.portalUrl('acme.localhost');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PAGES = [
  { name: 'portal-web-sign-in', path: '/', viewport: DESKTOP_VIEWPORT },
  { name: 'mobile-sign-in', path: '/m/', viewport: PHONE_VIEWPORT },
];

for (const { name, path, viewport } of PAGES) {
  test(`${name}: loads under a strict CSP, no console errors, nothing from another origin, accessible`, async () => {
    const watch = await openWatchedPage(browser, origin, viewport);
    try {
      const response = await watch.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      assert.equal(response?.status(), 200);
      const csp = response?.headers()['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      await watch.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.ok(await watch.page.getByLabel('Login').isVisible());
      assert.ok(await watch.page.getByLabel('Password').isVisible());
      await saveScreenshot(watch.page, name);
      assert.deepEqual(await seriousAccessibilityViolations(watch.page), []);
      assert.deepEqual(watch.consoleErrors, []);
      assert.deepEqual(watch.foreignRequests, []);
      assert.deepEqual(watch.failedAssets, []);
    } finally {
      await watch.context.close();
    }
  });
}

test('mobile sign-in fits a phone: no sideways scrolling, touch targets of at least 44 px', async () => {
  const watch = await openWatchedPage(browser, origin, PHONE_VIEWPORT);
  try {
    await watch.page.goto(`${origin}/m/`, { waitUntil: 'networkidle' });
    await watch.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const overflow = await watch.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    assert.deepEqual(await smallTouchTargets(watch.page), []);
  } finally {
    await watch.context.close();
  }
});

test('the mobile app has its manifest and icons', async () => {
  const watch = await openWatchedPage(browser, origin, PHONE_VIEWPORT);
  try {
    await watch.page.goto(`${origin}/m/`, { waitUntil: 'networkidle' });
    const href = await watch.page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = (await (await server.fetch(new URL(href ?? '', origin).href)).json()) as {
      start_url: string;
      scope: string;
      icons: { src: string }[];
    };
    assert.equal(manifest.start_url, '/m/');
    assert.equal(manifest.scope, '/m/');
    for (const icon of manifest.icons) {
      const res = await server.fetch(new URL(icon.src, origin).href);
      assert.equal(res.status, 200, icon.src);
      assert.match(res.headers.get('content-type') ?? '', /^image\//);
    }
  } finally {
    await watch.context.close();
  }
});

test('sign-in asks for what is missing before sending anything', async () => {
  const watch = await openWatchedPage(browser, origin, DESKTOP_VIEWPORT);
  try {
    await watch.page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    const posted: string[] = [];
    watch.page.on('request', (request) => {
      if (request.method() === 'POST') posted.push(request.url());
    });
    await watch.page.getByRole('button', { name: 'Sign in' }).click();
    await watch.page.getByRole('alert').filter({ hasText: 'Enter your login and password.' }).waitFor();
    assert.deepEqual(posted, []);
  } finally {
    await watch.context.close();
  }
});
