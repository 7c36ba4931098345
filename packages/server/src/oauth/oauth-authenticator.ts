import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import { RestError } from '../rest/rest-error.ts';
import type { UserStore } from '../users/user-store.ts';
import { type OAuthGrantStore, oauthCredentialId } from './oauth-grant-store.ts';

/**
 * `auth=<access_token>` in the query or the body. A token of another portal is as unknown here
 * as a made-up one. Only `expired_token` and `invalid_token` with 401 make a client refresh.
 */
export function oauthAuthenticator(deps: { grants: OAuthGrantStore; users: UserStore }): RestAuthenticator {
  return async ({ portal, params }) => {
    const token = params.auth;
    if (token === undefined) return null;
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) {
      throw new RestError('invalid_token', 'The access token provided is invalid');
    }
    const grant = await deps.grants.findAccessGrant(portal.id, token);
    if (!grant) throw new RestError('invalid_token', 'The access token provided is invalid');
    if (grant.expired) throw new RestError('expired_token', 'The access token provided has expired');
    const user = await deps.users.findById(portal.id, grant.userId);
    if (!user) throw new RestError('invalid_token', 'The access token provided is invalid');
    if (!user.active) throw new RestError('INVALID_CREDENTIALS', 'Invalid request credentials');
    return {
      portal,
      userId: user.id,
      via: 'oauth',
      scopes: new Set(grant.scopes),
      mayChangeState: true,
      user,
      credentialId: oauthCredentialId(grant.familyId),
    };
  };
}
