import type { FeatureModule } from '../modules/feature-module.ts';
import type { Database } from '../storage/database.ts';
import { portalMethods } from './portal-methods.ts';
import { PortalResolver } from './portal-resolver.ts';
import { PortalStore } from './portal-store.ts';

export interface PortalsServices {
  portals: PortalStore;
  /** Which portal a request's host names (cached). */
  portalResolver: PortalResolver;
}

export function createPortalsModule(deps: { db: Database }): FeatureModule<PortalsServices> {
  const portals = new PortalStore(deps.db);
  return {
    name: 'portals',
    services: { portals, portalResolver: new PortalResolver(portals) },
    methods: portalMethods(),
  };
}
