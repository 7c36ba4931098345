/**
 * The QR code's content: an ordinary `https://<portal>/m/qr-sign-in#p=<pointer>&k=<key hash>`
 * link. Any camera app opens it in the portal's mobile web app, which posts it to
 * `portaldesk.qrsignin.scan`. The pointer and key hash ride in the fragment, which browsers never
 * send in a request, so they reach no access log, proxy or `Referer`.
 */
export const QR_SIGN_IN_PAGE_PATH = '/m/qr-sign-in';

export interface QrSignInLink {
  /** `https://acme.example.com` (the portal that issued it). */
  origin: string;
  /** Lower-case host name without the port. */
  hostname: string;
  /** The server-signed, short-lived, single-use pointer to the sign-in attempt. */
  pointer: string;
  /** SHA-256 of the desktop's public key (base64url): the key the credentials will be sealed to. */
  keyHash: string;
}

/** Long enough for every pointer the server issues, short enough to refuse junk early. */
const MAX_PART_LENGTH = 256;
const PART = /^[A-Za-z0-9_.-]+$/;

export function buildQrSignInLink(origin: string, pointer: string, keyHash: string): string {
  return `${origin}${QR_SIGN_IN_PAGE_PATH}#p=${pointer}&k=${keyHash}`;
}

/** The parts of a scanned or pasted link, or null when it is not a QR sign-in link at all. */
export function parseQrSignInLink(text: string): QrSignInLink | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.pathname.replace(/\/+$/, '') !== QR_SIGN_IN_PAGE_PATH) return null;
  const fragment = new URLSearchParams(url.hash.slice(1));
  const pointer = fragment.get('p') ?? '';
  const keyHash = fragment.get('k') ?? '';
  const valid = (part: string) => part.length > 0 && part.length <= MAX_PART_LENGTH && PART.test(part);
  if (!valid(pointer) || !valid(keyHash)) return null;
  return { origin: url.origin, hostname: url.hostname.toLowerCase(), pointer, keyHash };
}
