import type { Portal } from './portal.ts';
import type { PortalStore } from './portal-store.ts';

const NEGATIVE_TTL_MS = 5_000;

/**
 * Finds the portal a request is for by its host name. Known portals are cached for the life of
 * the process (they are never renamed); unknown names are remembered briefly, so that a portal
 * created by the admin command from another process is found within seconds.
 */
export class PortalResolver {
  private readonly known = new Map<string, Portal>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly store: PortalStore,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(hostHeader: string | undefined): Promise<Portal | null> {
    const hostname = hostnameOf(hostHeader);
    if (!hostname) return null;
    const cached = this.known.get(hostname);
    if (cached) return cached;
    const missedAt = this.unknown.get(hostname);
    if (missedAt !== undefined && this.now() - missedAt < NEGATIVE_TTL_MS) return null;
    const portal = await this.store.findByDomain(hostname);
    if (portal) {
      this.known.set(hostname, portal);
      this.unknown.delete(hostname);
    } else {
      if (this.unknown.size > 10_000) this.unknown.clear();
      this.unknown.set(hostname, this.now());
    }
    return portal;
  }
}

/** `Acme.localhost:3000` → `acme.localhost`; IPv6 literals keep their brackets. */
export function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1) || null;
  return host.split(':')[0] || null;
}
