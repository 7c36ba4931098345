/**
 * An avatar path only when it is on this portal (`/upload/…`): pictures from anywhere else would
 * tell a third party who reads what, and the page's CSP refuses them anyway.
 */
export function sameOriginImage(url: string | undefined): string | undefined {
  if (!url?.startsWith('/') || url.startsWith('//') || url.includes('\\')) return undefined;
  return url;
}
