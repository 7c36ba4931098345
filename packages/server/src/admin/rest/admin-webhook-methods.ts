import {
  type AdminWebhookCreated,
  type AdminWebhookView,
  adminWebhookAddParams,
  adminWebhookIdParams,
} from '@portaldesk/protocol';
import { z } from 'zod';
import type { Clock } from '../../clock/clock.ts';
import { knownScopes } from '../../rest/methods/core-methods.ts';
import { RestError } from '../../rest/rest-error.ts';
import type { RestMethod } from '../../rest/rest-method.ts';
import type { RestMethodRegistry } from '../../rest/rest-method-registry.ts';
import { fullName } from '../../users/user.ts';
import type { UserStore } from '../../users/user-store.ts';
import type { IncomingWebhook, IncomingWebhookStore } from '../../webhooks/incoming-webhook-store.ts';
import { adminRestMethod } from './admin-rest-method.ts';

interface Dependencies {
  users: UserStore;
  webhooks: IncomingWebhookStore;
  clock: Clock;
  restMethods: RestMethodRegistry;
}

/**
 * `portaldesk.admin.webhook.list/add/delete`: every incoming webhook of the portal. A new webhook
 * acts as the administrator who creates it, as on Bitrix24; its secret is answered once.
 */
export function adminWebhookMethods(deps: Dependencies): RestMethod[] {
  const { users, webhooks } = deps;
  const views = async (portalId: number, list: IncomingWebhook[]): Promise<AdminWebhookView[]> => {
    const ids = [...new Set(list.map((w) => w.userId))];
    const owners = ids.length
      ? (await users.list(portalId, { ids }, { offset: 0, limit: ids.length, withoutTotal: true })).users
      : [];
    return list.map((w) => {
      const owner = owners.find((u) => u.id === w.userId);
      return {
        id: w.id,
        userId: w.userId,
        userName: owner ? fullName(owner) : '',
        title: w.title,
        scopes: w.scopes,
        createdAt: w.createdAt.toISOString(),
        expiresAt: w.expiresAt?.toISOString() ?? null,
      };
    });
  };
  return [
    adminRestMethod(users, 'portaldesk.admin.webhook.list', true, z.looseObject({}), async (auth) => ({
      result: await views(auth.portal.id, await webhooks.listUnrevoked(auth.portal.id)),
    })),
    adminRestMethod(users, 'portaldesk.admin.webhook.add', false, adminWebhookAddParams, async (auth, params) => {
      const known = new Set(knownScopes(deps.restMethods));
      const unknown = params.SCOPE.filter((scope) => !known.has(scope));
      if (unknown.length > 0) throw new RestError('ERROR_ARGUMENT', `SCOPE: no such scope: ${unknown.join(', ')}`);
      const created = await webhooks.create({
        portalId: auth.portal.id,
        userId: auth.userId,
        scopes: params.SCOPE,
        title: params.TITLE,
      });
      const [webhook] = await views(auth.portal.id, [created.webhook]);
      const result: AdminWebhookCreated = { webhook: webhook as AdminWebhookView, path: created.path };
      return { result };
    }),
    adminRestMethod(users, 'portaldesk.admin.webhook.delete', false, adminWebhookIdParams, async (auth, params) => {
      if (!(await webhooks.revoke(auth.portal.id, params.ID, deps.clock.now()))) {
        throw new RestError('NOT_FOUND', 'There is no such webhook');
      }
      return { result: true };
    }),
  ];
}
