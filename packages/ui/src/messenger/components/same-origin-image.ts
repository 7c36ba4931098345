/**
 * An avatar address only when it is on this portal (`/photo/…`, or the same origin written in
 * full, as `user.get` gives `PERSONAL_PHOTO`): pictures from anywhere else would tell a third
 * party who reads what, and the page's CSP refuses them anyway.
 */
export function sameOriginImage(url: string | undefined): string | undefined {
  if (!url || url.includes('\\')) return undefined;
  if (url.startsWith('/')) return url.startsWith('//') ? undefined : url;
  if (typeof location === 'undefined') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.origin === location.origin ? `${parsed.pathname}${parsed.search}` : undefined;
  } catch {
    return undefined;
  }
}
