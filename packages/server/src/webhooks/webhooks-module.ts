import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import { IncomingWebhookStore } from './incoming-webhook-store.ts';
import { webhookAuthenticator } from './webhook-authenticator.ts';

export interface WebhooksServices {
  webhooks: IncomingWebhookStore;
  /** Recognises `/rest/<userId>/<secret>/<method>`. */
  webhookAuthenticator: RestAuthenticator;
}

/** Incoming webhooks (their administration is the admin module's). */
export function createWebhooksModule(deps: {
  db: Database;
  clock: Clock;
  users: UserStore;
}): FeatureModule<WebhooksServices> {
  const webhooks = new IncomingWebhookStore(deps.db);
  return {
    name: 'webhooks',
    services: {
      webhooks,
      webhookAuthenticator: webhookAuthenticator({ webhooks, users: deps.users, clock: deps.clock }),
    },
  };
}
