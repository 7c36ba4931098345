import { parseQrSignInLink, QR_SIGN_IN_PAGE_PATH } from '@portaldesk/protocol';

/** Where a scanned or pasted text leads. */
export type ScannedLink =
  /** A sign-in code of this portal: open the approval page with this fragment. */
  | { kind: 'this-portal'; path: string; hash: string }
  /** Another portal's code: only that portal can approve it. */
  | { kind: 'other-portal'; host: string; href: string }
  | { kind: 'not-a-sign-in-code' };

export function classifyScannedLink(text: string, here: { origin: string; hostname: string }): ScannedLink {
  const link = parseQrSignInLink(text);
  if (!link) return { kind: 'not-a-sign-in-code' };
  const hash = `#p=${link.pointer}&k=${link.keyHash}`;
  if (link.origin === here.origin || link.hostname === here.hostname.toLowerCase()) {
    return { kind: 'this-portal', path: QR_SIGN_IN_PAGE_PATH.replace(/^\/m/, ''), hash };
  }
  return {
    kind: 'other-portal',
    host: new URL(link.origin).host,
    href: `${link.origin}${QR_SIGN_IN_PAGE_PATH}${hash}`,
  };
}
