import { USER_STATUS_EVENT, type UserStatus, UserStatusEventSchema, UserStatusSchema } from '@portaldesk/protocol';
import type { PushEvent } from '../delivery/pull-connection.ts';

/** What the rule needs of an account's connection: its user and a REST call. */
export interface StatusSource {
  readonly accountId: string;
  readonly userId: number | undefined;
  readonly rest: { call(method: string, params?: Record<string, unknown>): Promise<unknown> };
}

/**
 * Do not disturb as the person chose it on the portal (`im.user.status.set` `dnd`, from the
 * messenger's own menu here or on any other device): while an account's status is `dnd`, that
 * account's messages raise no desktop notification; its counts and badges go on. The status is
 * read when the account connects and follows the live `online`/`userStatus` pushes.
 */
export class PortalDoNotDisturb {
  private readonly statuses = new Map<string, UserStatus>();

  constructor(private readonly onChange: () => void) {}

  /** Whether the account's notifications are silenced now. */
  silences(accountId: string): boolean {
    return this.statuses.get(accountId) === 'dnd';
  }

  /** Reads the account's status (on connecting, and after a reconnect, when pushes may have been missed). */
  async load(source: StatusSource): Promise<void> {
    try {
      const status = UserStatusSchema.safeParse(await source.rest.call('im.user.status.get'));
      if (status.success) this.set(source.accountId, status.data);
    } catch {
      // A portal without the method (or unreachable now) keeps notifying: nothing silences it.
    }
  }

  /** Follows the account's own status in its realtime pushes; other people's are not its business. */
  notePush(source: StatusSource, event: PushEvent): void {
    if (event.moduleId !== USER_STATUS_EVENT.moduleId || event.command !== USER_STATUS_EVENT.command) return;
    const parsed = UserStatusEventSchema.safeParse(event.params);
    const own = parsed.success && source.userId !== undefined ? parsed.data.users[String(source.userId)] : undefined;
    const status = UserStatusSchema.safeParse(own?.status);
    if (status.success) this.set(source.accountId, status.data);
  }

  /** The account is gone: nothing of it is kept. */
  forget(accountId: string): void {
    if (this.statuses.delete(accountId)) this.onChange();
  }

  private set(accountId: string, status: UserStatus): void {
    if (this.statuses.get(accountId) === status) return;
    this.statuses.set(accountId, status);
    this.onChange();
  }
}
