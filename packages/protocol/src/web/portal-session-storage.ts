/**
 * The `sessionStorage` key under which the portal web UI keeps `{userId, sessid}` for its tab.
 * The desktop writes it into an account window it signed in itself, so the page starts signed in.
 */
export const PORTAL_SESSION_STORAGE_KEY = 'portaldesk.session';
