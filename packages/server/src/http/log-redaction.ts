/** Query parameters whose values are secrets and never reach a log. */
const SECRET_PARAMS = new Set([
  'auth',
  'access_token',
  'refresh_token',
  'password',
  'otp',
  'sessid',
  'code',
  'code_verifier',
  'client_secret',
  'token',
  'channel_id',
  // The QR sign-in link as scanned: its pointer lets whoever holds it take the first scan.
  'qr',
]);

/**
 * A request URL fit for logs: secret query values and the secret of an incoming webhook path
 * (`/rest/<userId>/<secret>/<method>`) replaced by `***`.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const safePath = path.replace(/^(\/rest\/\d+\/)[^/]+(\/)/, '$1***$2');
  if (query === undefined) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const [name = '', value] = pair.split('=', 2);
      return value !== undefined && SECRET_PARAMS.has(decodeURIComponentSafe(name).toLowerCase())
        ? `${name}=***`
        : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
