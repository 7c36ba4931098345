import { hostnameOf } from '../portals/portal-resolver.ts';

/** True when a request's Host header names the Network, with or without a port. */
export function isNetworkHost(hostHeader: string | undefined, networkDomain: string): boolean {
  return hostnameOf(hostHeader) === networkDomain;
}

/** The Fastify host constraint that sends a route only requests addressed to the Network. */
export function networkHostConstraint(networkDomain: string): RegExp {
  const escaped = networkDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}(?::\\d+)?$`, 'i');
}
