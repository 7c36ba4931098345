import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import type { QrSealed } from './qr-sign-in-messages.ts';

/**
 * HPKE (RFC 9180), base mode, DHKEM(X25519, HKDF-SHA256) + HKDF-SHA256 + AES-128-GCM: the suite
 * of MLS and of Matrix's QR login. `@hpke/core` runs on WebCrypto, so both the server and the
 * desktop's Node process use OpenSSL's constant-time X25519 and AES-GCM rather than JavaScript
 * big-number code, and the same module would run in a browser window.
 *
 * `info` binds the ciphertext to this protocol, this portal and this attempt; the attempt id is
 * also the AEAD's associated data. A ciphertext lifted from one attempt (or portal) and replayed
 * into another therefore fails to open.
 */
const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

const encoder = new TextEncoder();

export interface DesktopKeys {
  /** Raw X25519 public key, base64url: sent to the server at creation. */
  publicKey: string;
  /** Never leaves the desktop. */
  privateKey: CryptoKey;
}

export async function createDesktopKeys(): Promise<DesktopKeys> {
  const pair = await suite.kem.generateKeyPair();
  const raw = new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey));
  return { publicKey: toBase64Url(raw), privateKey: pair.privateKey };
}

/** The key hash in the QR: SHA-256 of the raw public key, base64url. */
export async function publicKeyHash(publicKey: string): Promise<string> {
  return sha256Base64Url(fromBase64Url(publicKey));
}

export async function sha256Base64Url(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/** A fresh 256-bit secret, base64url. */
export function randomSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export interface SealContext {
  /** The portal's host name, lower case. */
  portal: string;
  attemptId: string;
}

/** Encrypts `plaintext` to the desktop's public key. Throws when the key is not a usable X25519 key. */
export async function sealToDesktop(publicKey: string, context: SealContext, plaintext: string): Promise<QrSealed> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(fromBase64Url(publicKey) as Uint8Array<ArrayBuffer>);
  const { enc, ct } = await suite.seal(
    { recipientPublicKey, info: infoOf(context) },
    encoder.encode(plaintext),
    encoder.encode(context.attemptId),
  );
  return { enc: toBase64Url(new Uint8Array(enc)), ciphertext: toBase64Url(new Uint8Array(ct)) };
}

/** Decrypts what the server sealed; throws when it was tampered with or sealed for another attempt or key. */
export async function openOnDesktop(privateKey: CryptoKey, context: SealContext, sealed: QrSealed): Promise<string> {
  const plaintext = await suite.open(
    { recipientKey: privateKey, enc: fromBase64Url(sealed.enc) as Uint8Array<ArrayBuffer>, info: infoOf(context) },
    fromBase64Url(sealed.ciphertext) as Uint8Array<ArrayBuffer>,
    encoder.encode(context.attemptId),
  );
  return new TextDecoder().decode(plaintext);
}

function infoOf(context: SealContext): Uint8Array<ArrayBuffer> {
  return encoder.encode(`portaldesk qr sign-in v1\u0000${context.portal}\u0000${context.attemptId}`);
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
