import type { NetworkClient } from '../clients/network-client.ts';

/**
 * `openid`: who the person is (an ID token). `portals`: list the profile's portals and obtain
 * portal assertions — only the desktop (native) client may have it; a portal signing someone
 * in learns who they are on that portal and nothing more. `link`: a portal asks the profile to
 * link the account signed in there (the person confirms on the Network's page).
 */
const ALLOWED: Record<NetworkClient['kind'], ReadonlySet<string>> = {
  native: new Set(['openid', 'portals']),
  portal: new Set(['openid', 'link']),
};

/** The granted scope string, or null when something asked for is not allowed for this client. */
export function grantScope(client: NetworkClient, requested: string | undefined): string | null {
  const scopes = new Set((requested ?? 'openid').split(' ').filter(Boolean));
  if (!scopes.has('openid')) return null;
  for (const scope of scopes) if (!ALLOWED[client.kind].has(scope)) return null;
  return [...scopes].sort().join(' ');
}

export function scopeIncludes(scope: string, wanted: string): boolean {
  return scope.split(' ').includes(wanted);
}
