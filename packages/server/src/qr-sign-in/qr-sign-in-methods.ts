import { QrAttemptParamsSchema, QrScanParamsSchema } from '@portaldesk/protocol';
import type { z } from 'zod';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { AuthContext } from '../rest/auth-context.ts';
import { type RestCall, type RestMethod, restMethod, takingSecrets } from '../rest/rest-method.ts';
import { requireSession } from '../rest/session-only.ts';
import type { QrPhone } from './qr-sign-in-dependencies.ts';
import type { QrSignInService } from './qr-sign-in-service.ts';

/**
 * The phone's side, as REST methods of the signed-in mobile web app. Session callers only (an
 * app's OAuth token or a webhook must never approve a sign-in), with `sessid` for every change.
 */
export function qrSignInMethods(service: QrSignInService, sessions: SessionService): RestMethod[] {
  const phoneOf = async (call: RestCall<unknown>): Promise<QrPhone> => {
    const { auth } = call;
    requireSession(auth);
    const userAgent = (await sessions.liveById(auth.portal.id, auth.credentialId))?.userAgent ?? null;
    return { userId: auth.userId, sessionId: auth.credentialId, ip: call.ip, userAgent };
  };
  const method = <Schema extends z.ZodType>(
    name: string,
    readOnly: boolean,
    params: Schema,
    handle: (auth: AuthContext, params: z.output<Schema>, phone: QrPhone) => Promise<unknown>,
  ) =>
    restMethod({
      name,
      scope: 'basic',
      readOnly,
      params,
      async handle(call) {
        return { result: await handle(call.auth, call.params, await phoneOf(call)) };
      },
    });
  return [
    // The scanned link's pointer lets whoever holds it take the first scan.
    takingSecrets(
      ['QR'],
      method('portaldesk.qrsignin.scan', false, QrScanParamsSchema, (auth, p, phone) =>
        service.phone.scan(auth.portal, p.QR, phone),
      ),
    ),
    method('portaldesk.qrsignin.get', true, QrAttemptParamsSchema, (auth, p, phone) =>
      service.phone.phoneStatus(auth.portal, p.ID, phone),
    ),
    method('portaldesk.qrsignin.approve', false, QrAttemptParamsSchema, (auth, p, phone) =>
      service.phone.approve(auth.portal, p.ID, phone),
    ),
    method('portaldesk.qrsignin.deny', false, QrAttemptParamsSchema, (auth, p, phone) =>
      service.phone.deny(auth.portal, p.ID, phone),
    ),
  ];
}
