import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// A small stand-in for `packages/ui/dist` laid out as Vite builds it, so these tests need no build.
const distDir = mkdtempSync(join(tmpdir(), 'portaldesk-ui-dist-'));
mkdirSync(join(distDir, 'assets'));
mkdirSync(join(distDir, 'm'));
writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>portal</title>');
writeFileSync(join(distDir, 'm', 'index.html'), '<!doctype html><title>mobile</title>');
writeFileSync(join(distDir, 'm', 'manifest.webmanifest'), '{"name":"Portaldesk"}');
writeFileSync(join(distDir, 'assets', 'portal-abc123.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'portaldesk-outside.txt'), 'secret');

let server: TestServer;
let acme: string;
const html = { accept: 'text/html,application/xhtml+xml' };

before(async () => {
  server = await startTestServer({ config: { uiDistDir: distDir } });
  await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  acme = server.portalUrl('acme.localhost');
});
after(async () => {
  await server.close();
  rmSync(distDir, { recursive: true, force: true });
});

test('the portal web page is served at / with a strict CSP and protective headers', async () => {
  const res = await server.fetch(`${acme}/`, { headers: html });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<title>portal<\/title>/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('referrer-policy'), 'same-origin');
  assert.equal(res.headers.get('cache-control'), 'no-cache');
});

test('client-side routes fall back to their entry page', async () => {
  const portal = await server.fetch(`${acme}/im/chat5`, { headers: html });
  assert.match(await portal.text(), /portal/);
  for (const path of ['/m/', '/m/chats/chat5']) {
    const mobile = await server.fetch(`${acme}${path}`, { headers: html });
    assert.equal(mobile.status, 200);
    assert.match(await mobile.text(), /mobile/, path);
  }
});

test('/m redirects into the mobile app scope', async () => {
  const res = await server.fetch(`${acme}/m`, { headers: html, redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/m/');
});

test('hashed assets are cached for good; the manifest has its media type', async () => {
  const asset = await server.fetch(`${acme}/assets/portal-abc123.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  const manifest = await server.fetch(`${acme}/m/manifest.webmanifest`);
  assert.equal(manifest.status, 200);
  assert.match(manifest.headers.get('content-type') ?? '', /application\/manifest\+json/);
});

test('a missing asset is a 404, not a page', async () => {
  const res = await server.fetch(`${acme}/assets/missing.js`, { headers: { accept: '*/*' } });
  assert.equal(res.status, 404);
});

test('API paths are never answered with a page', async () => {
  const res = await server.fetch(`${acme}/desktop_app/unknown/`, { headers: html });
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: string }).error, 'NOT_FOUND');
});

test('paths cannot climb out of the UI directory', async () => {
  for (const path of ['/..%2fportaldesk-outside.txt', '/m/..%2f..%2fportaldesk-outside.txt', '/%2e%2e/x']) {
    const res = await server.fetch(`${acme}${path}`, { headers: { accept: '*/*' } });
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(await res.text(), /secret/);
  }
});

test('a host that is no portal gets no UI', async () => {
  const res = await server.fetch(`${server.portalUrl('nobody.localhost')}/`, { headers: html });
  assert.equal(res.status, 404);
});
