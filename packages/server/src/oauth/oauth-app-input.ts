import { MAX_APP_REDIRECT_URIS, WEBHOOK_SCOPE_PATTERN } from '@portaldesk/protocol';

/** A registration the portal cannot accept; the message names what is wrong. */
export class InvalidOAuthAppError extends Error {
  readonly code = 'INVALID_OAUTH_APP';
}

/**
 * Redirect URIs are absolute, without a fragment, and https — except loopback addresses, where
 * a native or test app listens on http (RFC 8252 §7.3).
 */
export function checkRedirectUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidOAuthAppError(`Not an absolute URL: ${uri}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.hash || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new InvalidOAuthAppError(`A redirect URI must be https (or http on loopback) with no fragment: ${uri}`);
  }
  return uri;
}

export function checkRedirectUris(uris: readonly string[]): string[] {
  const unique = [...new Set(uris.map((uri) => uri.trim()).filter(Boolean))];
  if (unique.length === 0) throw new InvalidOAuthAppError('At least one redirect URI is needed');
  if (unique.length > MAX_APP_REDIRECT_URIS) {
    throw new InvalidOAuthAppError(`At most ${MAX_APP_REDIRECT_URIS} redirect URIs`);
  }
  return unique.map(checkRedirectUri);
}

/** Scope names, lower-cased and without repeats; `known`, when given, are all the portal has. */
export function checkScopes(scopes: readonly string[], known?: readonly string[]): string[] {
  const unique = [...new Set(scopes.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (unique.length === 0) throw new InvalidOAuthAppError('At least one scope is needed');
  const bad = unique.find((s) => !WEBHOOK_SCOPE_PATTERN.test(s));
  if (bad !== undefined) throw new InvalidOAuthAppError(`Not a scope name: ${JSON.stringify(bad)}`);
  const unknown = known ? unique.filter((s) => !known.includes(s)) : [];
  if (unknown.length > 0) {
    throw new InvalidOAuthAppError(`No such scope: ${unknown.join(', ')} (the portal has: ${known?.join(', ')})`);
  }
  return unique;
}

export function checkAppName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw new InvalidOAuthAppError('A name of 1 to 100 characters');
  return trimmed;
}
