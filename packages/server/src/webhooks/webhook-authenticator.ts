import type { Clock } from '../clock/clock.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import { RestError } from '../rest/rest-error.ts';
import type { UserStore } from '../users/user-store.ts';
import { type IncomingWebhookStore, webhookCredentialId } from './incoming-webhook-store.ts';

/**
 * `/rest/<userId>/<secret>/<method>`. A secret of another portal, of another user, revoked or
 * expired is the same "wrong authorization data" as an unknown one, so nothing is learnt by
 * trying; a deactivated owner is refused for lack of rights.
 */
export function webhookAuthenticator(deps: {
  webhooks: IncomingWebhookStore;
  users: UserStore;
  clock: Clock;
}): RestAuthenticator {
  return async ({ portal, webhook: path }) => {
    if (!path) return null;
    const wrong = () => new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
    if (!/^\d{1,10}$/.test(path.userId) || path.secret.length === 0 || path.secret.length > 128) throw wrong();
    const webhook = await deps.webhooks.findBySecret(portal.id, path.secret);
    const now = deps.clock.now();
    if (
      !webhook ||
      webhook.userId !== Number(path.userId) ||
      webhook.revokedAt !== null ||
      (webhook.expiresAt !== null && webhook.expiresAt <= now)
    ) {
      throw wrong();
    }
    const user = await deps.users.findById(portal.id, webhook.userId);
    if (!user) throw wrong();
    if (!user.active) throw new RestError('INVALID_CREDENTIALS', 'Invalid request credentials');
    return {
      portal,
      userId: user.id,
      via: 'webhook',
      scopes: new Set(webhook.scopes),
      mayChangeState: true,
      user,
      credentialId: webhookCredentialId(webhook.id),
    };
  };
}
