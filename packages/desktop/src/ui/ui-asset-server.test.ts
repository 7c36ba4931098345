import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startUiAssetServer, type UiAssetServer } from './ui-asset-server.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-ui-assets-'));
const dist = join(root, 'dist');
let server: UiAssetServer;

before(async () => {
  mkdirSync(join(dist, 'desktop'), { recursive: true });
  writeFileSync(join(dist, 'desktop', 'login.html'), '<title>Sign in</title>');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  server = await startUiAssetServer(dist);
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function get(path: string, host?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const base = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers: host ? { host } : {} }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the built UI pages with a strict content security policy', async () => {
  const page = await get('/desktop/login.html');
  assert.equal(page.status, 200);
  assert.equal(page.body, '<title>Sign in</title>');
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
});

test('never serves a file outside the UI folder', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/desktop/../../secret.txt']) {
    const answer = await get(path);
    assert.equal(answer.status, 404, path);
    assert.doesNotMatch(answer.body, /outside/);
  }
});

test('refuses requests for another host name (DNS rebinding)', async () => {
  assert.equal((await get('/desktop/login.html', 'evil.example:80')).status, 421);
});
