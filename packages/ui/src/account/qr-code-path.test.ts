import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUIET_ZONE, qrCodePath } from './qr-code-path.ts';

const dark = (path: string, x: number, y: number) => path.includes(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h`);

test('draws the code with its finder patterns inside a quiet zone', () => {
  const { size, path } = qrCodePath('otpauth://totp/Acme:ann%40acme.test?secret=JBSWY3DPEHPK3PXP&issuer=Acme');
  const modules = size - 2 * QUIET_ZONE;
  assert.equal((modules - 17) % 4, 0, 'a QR version is 17 + 4n modules wide');
  for (const [x, y] of [
    [0, 0],
    [modules - 7, 0],
    [0, modules - 7],
  ] as const) {
    for (let i = 0; i < 7; i++) {
      assert.ok(dark(path, x + i, y) && dark(path, x, y + i), `finder edge at ${x},${y}`);
    }
    assert.ok(!dark(path, x + 1, y + 1), 'the finder has its light ring');
  }
  assert.ok(!path.includes(`M${QUIET_ZONE - 1} `), 'nothing in the quiet zone');
});
