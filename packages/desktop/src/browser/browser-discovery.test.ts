import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { BrowserDiscoveryError, findBrowser } from './browser-discovery.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-browser-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fakeExecutable(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

test('finds the browser installed on this machine (Debian: the chromium package)', () => {
  const found = findBrowser({ env: { PATH: process.env.PATH } });
  assert.equal(found.source, 'known-path');
  const version = spawnSync(found.executablePath, ['--version'], { encoding: 'utf8' });
  assert.match(version.stdout, /Chromium|Chrome|Edge/, 'it is a Chromium-family browser that runs');
});

test('PORTALDESK_BROWSER wins over everything else', () => {
  const custom = fakeExecutable(join(root, 'custom', 'my-chrome'));
  const found = findBrowser({ env: { PORTALDESK_BROWSER: custom, PATH: process.env.PATH } });
  assert.deepEqual(found, { kind: 'chrome', executablePath: custom, source: 'override' });
});

test('a PORTALDESK_BROWSER that is not an executable is reported, not ignored', () => {
  const notExecutable = join(root, 'plain-file');
  writeFileSync(notExecutable, 'x');
  for (const value of [join(root, 'missing'), notExecutable]) {
    assert.throws(
      () => findBrowser({ env: { PORTALDESK_BROWSER: value } }),
      (e: unknown) => e instanceof BrowserDiscoveryError && e.code === 'BROWSER_OVERRIDE_INVALID',
    );
  }
});

test('finds Chrome in the user Applications folder on macOS', () => {
  const home = join(root, 'mac-home');
  const chrome = fakeExecutable(join(home, 'Applications', 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome'));
  const found = findBrowser({ platform: 'darwin', env: {}, homeDir: home });
  assert.deepEqual(found, { kind: 'chrome', executablePath: chrome, source: 'known-path' });
});

test('finds Edge under Program Files on Windows, and Chrome before it', () => {
  const programFiles = join(root, 'Program Files');
  const edge = fakeExecutable(join(programFiles, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
  assert.equal(findBrowser({ platform: 'win32', env: { ProgramFiles: programFiles } }).executablePath, edge);
  const localAppData = join(root, 'AppData', 'Local');
  const chrome = fakeExecutable(join(localAppData, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  const found = findBrowser({ platform: 'win32', env: { ProgramFiles: programFiles, LOCALAPPDATA: localAppData } });
  assert.deepEqual(found, { kind: 'chrome', executablePath: chrome, source: 'known-path' });
});

test('falls back to PATH', () => {
  const bin = join(root, 'win-bin');
  const edge = fakeExecutable(join(bin, 'msedge.exe'));
  const found = findBrowser({ platform: 'win32', env: { PATH: `C:\\nowhere;${bin}` } });
  assert.deepEqual(found, { kind: 'edge', executablePath: edge, source: 'path' });
});

test('when nothing is installed, the error says what to install', () => {
  const cases: [NodeJS.Platform, RegExp][] = [
    ['win32', /Install Microsoft Edge or Google Chrome/],
    ['darwin', /Install Google Chrome/],
  ];
  for (const [platform, advice] of cases) {
    assert.throws(
      () => findBrowser({ platform, env: { PATH: join(root, 'empty') }, homeDir: join(root, 'empty-home') }),
      (e: unknown) => e instanceof BrowserDiscoveryError && e.code === 'BROWSER_NOT_FOUND' && advice.test(e.message),
    );
  }
});
