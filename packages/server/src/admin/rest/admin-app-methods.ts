import {
  type AdminAppView,
  type AdminAppWithSecret,
  adminAppAddParams,
  adminAppClientIdParams,
} from '@portaldesk/protocol';
import { z } from 'zod';
import { type OAuthAppAdministration, UnknownOAuthAppError } from '../../oauth/oauth-app-administration.ts';
import { InvalidOAuthAppError } from '../../oauth/oauth-app-input.ts';
import type { OAuthApp, OAuthAppWithSecret } from '../../oauth/oauth-app-store.ts';
import { RestError } from '../../rest/rest-error.ts';
import type { RestMethod } from '../../rest/rest-method.ts';
import type { UserStore } from '../../users/user-store.ts';
import { adminRestMethod } from './admin-rest-method.ts';

interface Dependencies {
  users: UserStore;
  oauthAppAdministration: OAuthAppAdministration;
}

/**
 * `portaldesk.admin.app.list/add/secret.rotate/delete`: the portal's OAuth applications (Bitrix24's
 * local applications). A client secret is answered once, when it is made.
 */
export function adminAppMethods(deps: Dependencies): RestMethod[] {
  const { users, oauthAppAdministration: apps } = deps;
  return [
    adminRestMethod(users, 'portaldesk.admin.app.list', true, z.looseObject({}), async (auth) => ({
      result: (await apps.list(auth.portal.id)).map(adminAppView),
    })),
    adminRestMethod(users, 'portaldesk.admin.app.add', false, adminAppAddParams, async (auth, params) => {
      const registered = await refusingBadInput(() =>
        apps.register({
          portalId: auth.portal.id,
          name: params.NAME,
          redirectUris: params.REDIRECT_URI,
          scopes: params.SCOPE,
        }),
      );
      return { result: withSecret(registered) };
    }),
    adminRestMethod(
      users,
      'portaldesk.admin.app.secret.rotate',
      false,
      adminAppClientIdParams,
      async (auth, params) => {
        const rotated = await refusingBadInput(() => apps.rotateSecret(auth.portal.id, params.CLIENT_ID));
        return { result: withSecret(rotated) };
      },
    ),
    adminRestMethod(users, 'portaldesk.admin.app.delete', false, adminAppClientIdParams, async (auth, params) => {
      await refusingBadInput(() => apps.delete(auth.portal.id, params.CLIENT_ID));
      return { result: true };
    }),
  ];
}

export function adminAppView(app: OAuthApp): AdminAppView {
  return {
    clientId: app.clientId,
    name: app.name,
    redirectUris: app.redirectUris,
    scopes: app.scopes,
    createdAt: app.createdAt.toISOString(),
    secretRotatedAt: app.secretRotatedAt?.toISOString() ?? null,
  };
}

function withSecret({ app, clientSecret }: OAuthAppWithSecret): AdminAppWithSecret {
  return { app: adminAppView(app), clientSecret };
}

async function refusingBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidOAuthAppError) throw new RestError('ERROR_ARGUMENT', error.message);
    if (error instanceof UnknownOAuthAppError) throw new RestError('NOT_FOUND', error.message);
    throw error;
  }
}
