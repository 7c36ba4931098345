/**
 * Whether `given` is one of the client's registered redirect URIs. Matching is exact string
 * comparison, with one exception from RFC 8252 §7.3: for a registered `http://127.0.0.1/…` or
 * `http://[::1]/…` URI, any port is accepted (a native app listens on whatever port is free),
 * while scheme, host, path and query must still match exactly. `localhost` gets no such
 * leniency (RFC 8252 §8.3).
 */
export function redirectUriMatches(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  const candidate = parseUrl(given);
  if (!candidate || !isLoopbackLiteral(candidate)) return false;
  return registered.some((uri) => {
    const allowed = parseUrl(uri);
    return (
      allowed !== null &&
      isLoopbackLiteral(allowed) &&
      allowed.hostname === candidate.hostname &&
      allowed.pathname === candidate.pathname &&
      allowed.search === candidate.search &&
      candidate.hash === '' &&
      candidate.username === '' &&
      candidate.password === ''
    );
  });
}

function isLoopbackLiteral(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
