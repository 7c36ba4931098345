import type { Clock } from '../clock/clock.ts';
import { checkScopes } from './oauth-app-input.ts';
import type { NewOAuthApp, OAuthApp, OAuthAppStore, OAuthAppWithSecret } from './oauth-app-store.ts';
import type { OAuthGrantStore } from './oauth-grant-store.ts';

export class UnknownOAuthAppError extends Error {
  readonly code = 'OAUTH_APP_NOT_FOUND';
  constructor() {
    super('There is no such application on this portal');
  }
}

export interface OAuthAppAdministrationDependencies {
  apps: OAuthAppStore;
  grants: Pick<OAuthGrantStore, 'announceRevoked'>;
  /** Every scope the portal's REST methods know: an app may ask only for these. */
  knownScopes: () => readonly string[];
  clock: Clock;
}

/**
 * What a portal administrator does with OAuth applications, from the admin page and the command
 * line alike: register one (its secret answered once), list them, replace a secret, delete one
 * with every token it holds. Each call names its portal; another portal's apps do not exist.
 */
export class OAuthAppAdministration {
  constructor(private readonly deps: OAuthAppAdministrationDependencies) {}

  register(input: NewOAuthApp): Promise<OAuthAppWithSecret> {
    return this.deps.apps.register({ ...input, scopes: checkScopes(input.scopes, this.deps.knownScopes()) });
  }

  list(portalId: number): Promise<OAuthApp[]> {
    return this.deps.apps.list(portalId);
  }

  async rotateSecret(portalId: number, clientId: string): Promise<OAuthAppWithSecret> {
    const rotated = await this.deps.apps.rotateSecret(portalId, clientId, this.deps.clock.now());
    if (!rotated) throw new UnknownOAuthAppError();
    return rotated;
  }

  async delete(portalId: number, clientId: string): Promise<void> {
    const deleted = await this.deps.apps.delete(portalId, clientId);
    if (!deleted) throw new UnknownOAuthAppError();
    this.deps.grants.announceRevoked(deleted.revokedFamilyIds);
  }
}
