const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL as a link target, or null when it must stay text. Parsed the way the browser parses an
 * `href` (so `java\tscript:` and `JaVaScRiPt:` are recognised for what they are); only web and
 * mail links pass; relative and protocol-relative references do not.
 */
export function safeLinkHref(raw: string): string | null {
  const candidate = raw.trim();
  if (candidate === '' || candidate.length > 2048) return null;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  return url.href;
}
