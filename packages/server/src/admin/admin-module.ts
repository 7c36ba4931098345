import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { OAuthAppAdministration } from '../oauth/oauth-app-administration.ts';
import type { RestMethodRegistry } from '../rest/rest-method-registry.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import type { IncomingWebhookStore } from '../webhooks/incoming-webhook-store.ts';
import { adminAppMethods } from './rest/admin-app-methods.ts';
import { adminUserMethods } from './rest/admin-user-methods.ts';
import { adminWebhookMethods } from './rest/admin-webhook-methods.ts';

/** The portal administrator's REST methods: people, webhooks, applications. */
export function createAdminModule(deps: {
  db: Database;
  clock: Clock;
  users: UserStore;
  sessions: SessionService;
  passwordHasher: PasswordHasher;
  webhooks: IncomingWebhookStore;
  restMethods: RestMethodRegistry;
  oauthAppAdministration: OAuthAppAdministration;
}): FeatureModule {
  return {
    name: 'admin',
    services: {},
    methods: [...adminUserMethods(deps), ...adminWebhookMethods(deps), ...adminAppMethods(deps)],
  };
}
