import type { Redis } from 'ioredis';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import { type LeakyBucketLimiter, leakyBucket } from '../rest/rate-limit/leaky-bucket.ts';
import { DEFAULT_REST_RATE_LIMIT } from '../rest/rate-limit/rest-rate-limit.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import { OAuthAppAdministration } from './oauth-app-administration.ts';
import { OAuthAppStore } from './oauth-app-store.ts';
import { oauthAuthenticator } from './oauth-authenticator.ts';
import { OAuthConsentStore } from './oauth-consent-store.ts';
import { OAuthGrantStore } from './oauth-grant-store.ts';
import { oauthRoutes } from './oauth-routes.ts';

export interface OAuthServices {
  oauthApps: OAuthAppStore;
  /** Registering, listing, re-keying and deleting apps: the admin page's and command line's one way. */
  oauthAppAdministration: OAuthAppAdministration;
  oauthGrants: OAuthGrantStore;
  /** Which scopes each user has allowed each app (the consent screen's memory). */
  oauthConsents: OAuthConsentStore;
  /** Guards the token endpoint against guessing, per portal and client address. */
  oauthTokenLimiter: LeakyBucketLimiter;
  /** Recognises `auth=<access token>` on REST calls. */
  oauthAuthenticator: RestAuthenticator;
}

/** The portal's own OAuth 2.0 server: apps, consents, codes and tokens, `/oauth/…`. */
export function createOAuthModule(deps: {
  db: Database;
  clock: Clock;
  redis: Redis | undefined;
  users: UserStore;
  sessions: SessionService;
  /** Every scope the portal's REST methods know, for checking what an app asks for. */
  knownScopes: () => readonly string[];
}): FeatureModule<OAuthServices> {
  const { db, clock, redis, users, sessions } = deps;
  const oauthApps = new OAuthAppStore(db);
  const oauthGrants = new OAuthGrantStore(db, clock);
  const services: OAuthServices = {
    oauthApps,
    oauthAppAdministration: new OAuthAppAdministration({
      apps: oauthApps,
      grants: oauthGrants,
      knownScopes: deps.knownScopes,
      clock,
    }),
    oauthGrants,
    oauthConsents: new OAuthConsentStore(db),
    oauthTokenLimiter: leakyBucket({ ...DEFAULT_REST_RATE_LIMIT }, clock, redis, 'portaldesk:oauth-token-limit'),
    oauthAuthenticator: oauthAuthenticator({ grants: oauthGrants, users }),
  };
  return {
    name: 'oauth',
    services,
    routes: [
      {
        role: 'any',
        register: (app, settings) => oauthRoutes(app, { ...services, users, sessions, clock }, settings.uiDistDir),
      },
    ],
  };
}
