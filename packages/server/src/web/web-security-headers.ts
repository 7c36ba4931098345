/**
 * Headers for every page and asset of the web UI. The pages load nothing from another origin and
 * run no inline script, so the policy can name only this origin.
 *
 * Styles: the production build puts every style in files, and Vue and the Bitrix24 UI kit set
 * dynamic positions through the CSSOM (`element.style`), which CSP does not restrict. The kit's
 * only inline `<style>` element (the colour-mode transition blocker) is switched off in the
 * Vite config, so `style-src 'self'` holds without `'unsafe-inline'`.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // The mobile app will read QR codes with the camera (its own origin only); nothing else is used.
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};
