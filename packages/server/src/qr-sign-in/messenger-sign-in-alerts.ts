import { NEW_SIGN_IN_EVENT } from '@portaldesk/protocol';
import { NOTIFY_TYPE_SYSTEM } from '../messenger/notifications/notification.ts';
import type { Notifier } from '../messenger/notifications/notifier.ts';
import type { EventLog } from '../realtime/event-log.ts';
import type { Database } from '../storage/database.ts';
import type { QrSignInAudit } from './qr-sign-in-audit.ts';
import type { NewSignIn, SignInAlerts } from './sign-in-alerts.ts';

/** Tags the alert per new session, so a second alert about the same session replaces the first. */
const tagOf = (sessionId: string) => `portaldesk|new-sign-in|${sessionId}`;

/**
 * The new-sign-in alert as a system notification of the messenger (what `im.notify.system.add`
 * adds): every session of the user sees it in its notifications, with a link that opens the
 * session list at the new session to sign it out. The notification, its realtime events and
 * the audit row are written in one transaction.
 */
export class MessengerSignInAlerts implements SignInAlerts {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
    private readonly events: EventLog,
    private readonly audit: QrSignInAudit,
  ) {}

  async newSignIn({ portalId, userId, attemptId, alert }: NewSignIn): Promise<void> {
    const recorded = await this.db.transaction(async (tx) => {
      await this.audit.record(
        { attemptId, portalId, step: 'alert', ip: alert.ip, userAgent: null, userId, detail: { ...alert } },
        tx,
      );
      const added = await this.notifier.addInTransaction(
        tx,
        {
          portalId,
          userId,
          authorId: 0,
          notifyType: NOTIFY_TYPE_SYSTEM,
          module: NEW_SIGN_IN_EVENT.moduleId,
          event: NEW_SIGN_IN_EVENT.command,
          tag: tagOf(alert.sessionId),
          subTag: null,
          title: 'New sign-in',
          text: `${alert.text} from ${alert.ip}. Not you? [URL=${alert.revokeUrl}]Sign that session out[/URL]`,
          textOut: `${alert.text} from ${alert.ip}. Not you? Sign it out: ${alert.revokeUrl}`,
          params: { ...alert },
        },
        null,
      );
      return added.recorded;
    });
    for (const r of recorded) this.events.announce(r);
  }
}
