import { type LookupAddress, lookup as systemLookup } from 'node:dns';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

export type Lookup = typeof systemLookup;

export interface DesktopHttpClientOptions {
  /** PEM certificates to trust besides the system's (a company CA; a test CA). */
  ca?: string[];
  /** The resolver for every name that is not `*.localhost`; the system's by default. */
  lookup?: Lookup;
  /** Replaces the whole resolver, `*.localhost` included (tests route portals through a relay). */
  resolver?: Lookup;
}

export type DesktopFetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The desktop's own HTTP client. `*.localhost` is loopback by RFC 6761 but the system resolver
 * need not know that; resolving it here makes `acme.localhost:3000` (demo and test portals)
 * reach this machine.
 */
export function createDesktopFetch(options: DesktopHttpClientOptions = {}): DesktopFetch {
  const agent = new Agent({
    connect: { ...(options.ca ? { ca: options.ca } : {}), lookup: options.resolver ?? desktopLookup(options.lookup) },
  });
  return (url, init = {}) => fetch(url, { ...init, dispatcher: agent });
}

/** The resolver of every desktop connection (HTTP and realtime): `*.localhost` is loopback. */
export function desktopLookup(fallback: Lookup = systemLookup, loopback = '127.0.0.1'): Lookup {
  return ((hostname: string, lookupOptions: unknown, callback: unknown) => {
    const done = (typeof lookupOptions === 'function' ? lookupOptions : callback) as (...args: unknown[]) => void;
    const options = (typeof lookupOptions === 'object' && lookupOptions) || {};
    const host = hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) {
      const address: LookupAddress = { address: loopback, family: 4 };
      if ((options as { all?: boolean }).all) done(null, [address]);
      else done(null, loopback, 4);
      return;
    }
    fallback(hostname, options as never, done as never);
  }) as Lookup;
}
