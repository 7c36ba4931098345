import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceLabel } from './device-label.ts';

test('names the browser and the system a person would recognise', () => {
  const cases: [string | null, 'password' | 'app_password', string][] = [
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      'password',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
      'password',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      'password',
      'Safari on iOS',
    ],
    ['Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0', 'password', 'Firefox on Android'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) HeadlessChrome/140.0 Safari/537.36',
      'app_password',
      'Portaldesk desktop on macOS',
    ],
    [null, 'password', 'Unknown browser'],
    ['curl/8.5.0', 'password', 'Unknown browser'],
  ];
  for (const [userAgent, method, expected] of cases)
    assert.equal(deviceLabel(userAgent, method), expected, String(userAgent));
});
