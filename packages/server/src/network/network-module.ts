import type { AppPasswordService } from '../auth/app-passwords/app-password-service.ts';
import type { LoginRateLimits } from '../auth/login/login-rate-limits.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import { createNetworkContext, type NetworkContext } from './network-context.ts';
import { networkRoutes } from './network-routes.ts';
import { NetworkBackChannel } from './portal-side/network-back-channel.ts';
import { networkDesktopLoginRoutes } from './portal-side/network-desktop-login-routes.ts';
import { NetworkTokenVerifier } from './portal-side/network-token-verifier.ts';
import { networkWebSignInRoutes } from './portal-side/network-web-sign-in-routes.ts';
import { PortalNetworkTrustStore } from './portal-side/portal-network-trust.ts';

export interface NetworkServices {
  /** The Network role's stores and services (its routes exist only when the role is on). */
  network: NetworkContext;
  /** Portal role: which Network each portal trusts, and the portal's credentials there. */
  portalNetworkTrust: PortalNetworkTrustStore;
  /** Portal role: the portal's HTTP calls to its Network. */
  networkBackChannel: NetworkBackChannel;
  /** Portal role: checks the Network's ID tokens and portal assertions. */
  networkTokenVerifier: NetworkTokenVerifier;
}

/** The Network service, and the portal's side of signing in with it. */
export function createNetworkModule(deps: {
  db: Database;
  clock: Clock;
  /** Where the Network answers; defaults suit demo and tests. */
  settings?: Config['network'] | undefined;
  loginRateLimits: LoginRateLimits;
  passwordHasher: PasswordHasher;
  users: UserStore;
  sessions: SessionService;
  appPasswords: AppPasswordService;
}): FeatureModule<NetworkServices> {
  const { db, clock, settings, users, sessions, appPasswords } = deps;
  const services: NetworkServices = {
    network: createNetworkContext({
      db,
      clock,
      domain: settings?.domain ?? 'network.localhost',
      issuer: settings?.issuer,
      limits: deps.loginRateLimits,
      hasher: deps.passwordHasher,
    }),
    portalNetworkTrust: new PortalNetworkTrustStore(db),
    networkBackChannel: new NetworkBackChannel(),
    networkTokenVerifier: new NetworkTokenVerifier(db, clock),
  };
  const portalSide = { ...services, users, sessions, appPasswords };
  return {
    name: 'network',
    services,
    routes: [
      { role: 'portal', register: (app) => networkDesktopLoginRoutes(app, portalSide) },
      { role: 'portal', register: (app) => networkWebSignInRoutes(app, portalSide) },
      {
        role: 'network',
        register: (app, route) =>
          networkRoutes(app, services.network, {
            secureCookies: Boolean(route.tls) || Boolean(route.network.issuer?.startsWith('https:')),
            uiDistDir: route.uiDistDir,
          }),
      },
    ],
  };
}
