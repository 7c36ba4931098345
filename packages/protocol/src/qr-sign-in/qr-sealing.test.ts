import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDesktopKeys, openOnDesktop, publicKeyHash, sealToDesktop } from './qr-sealing.ts';
import { buildQrSignInLink, parseQrSignInLink } from './qr-sign-in-link.ts';

const context = { portal: 'acme.localhost', attemptId: 'attempt-1' };

test('only the desktop key opens what was sealed for its attempt on its portal', async () => {
  const desktop = await createDesktopKeys();
  const other = await createDesktopKeys();
  const sealed = await sealToDesktop(desktop.publicKey, context, 'the redeem code');
  assert.equal(await openOnDesktop(desktop.privateKey, context, sealed), 'the redeem code');
  await assert.rejects(openOnDesktop(other.privateKey, context, sealed), 'another key');
  await assert.rejects(openOnDesktop(desktop.privateKey, { ...context, attemptId: 'attempt-2' }, sealed), 'replayed');
  await assert.rejects(openOnDesktop(desktop.privateKey, { ...context, portal: 'beta.localhost' }, sealed), 'moved');
  const again = await sealToDesktop(desktop.publicKey, context, 'the redeem code');
  assert.notEqual(again.ciphertext, sealed.ciphertext, 'every sealing uses a fresh ephemeral key');
});

test('a low-order or malformed public key cannot be sealed to', async () => {
  await assert.rejects(sealToDesktop('A'.repeat(43), context, 'x'));
  await assert.rejects(sealToDesktop('short', context, 'x'));
});

test('the QR link round-trips, and anything else is not a QR sign-in link', async () => {
  const { publicKey } = await createDesktopKeys();
  const keyHash = await publicKeyHash(publicKey);
  const link = buildQrSignInLink('https://acme.example.com', '1.a.b.c.d', keyHash);
  assert.deepEqual(parseQrSignInLink(link), {
    origin: 'https://acme.example.com',
    hostname: 'acme.example.com',
    pointer: '1.a.b.c.d',
    keyHash,
  });
  for (const bad of [
    'not a url',
    'javascript:alert(1)//m/qr-sign-in#p=a&k=b',
    'https://acme.example.com/m/other#p=a&k=b',
    'https://acme.example.com/m/qr-sign-in#p=a',
    'https://acme.example.com/m/qr-sign-in#p=a<b&k=c',
    `https://acme.example.com/m/qr-sign-in#p=${'a'.repeat(300)}&k=b`,
  ]) {
    assert.equal(parseQrSignInLink(bad), null, bad);
  }
});
