/**
 * A portal address as a person types it: `acme.example.com`, `https://Acme.example.com:8443/`,
 * `acme.localhost:3000`. Normalised to an origin so that every client compares the same thing.
 */
export interface PortalAddress {
  /** `https://acme.example.com` or `http://acme.localhost:3000`, no trailing slash. */
  origin: string;
  /** Lower-case host name without the port. */
  hostname: string;
  /** `hostname[:port]` as shown to people. */
  host: string;
}

export class PortalAddressError extends Error {
  readonly code = 'INVALID_PORTAL_ADDRESS';
}

/** Hosts that are loopback by RFC 6761 and so are reached over plain http by default. */
export function isLoopbackHostname(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]'
  );
}

export function normalizePortalAddress(input: string): PortalAddress {
  const trimmed = input.trim();
  if (trimmed === '') throw new PortalAddressError('Enter the portal address');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `https://${trimmed}`);
  } catch {
    throw new PortalAddressError('This is not a valid portal address');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PortalAddressError('A portal address starts with https:// or http://');
  }
  if (url.username || url.password) throw new PortalAddressError('A portal address cannot contain a user name');
  const hostname = url.hostname.toLowerCase();
  if (!hostname.includes('.') && hostname !== 'localhost') {
    throw new PortalAddressError('This is not a valid portal address');
  }
  if (!hasScheme && isLoopbackHostname(hostname)) url.protocol = 'http:';
  const host = url.port ? `${hostname}:${url.port}` : hostname;
  return { origin: `${url.protocol}//${host}`, hostname, host };
}
