import type { ImUserView, UserStatusView } from '@portaldesk/protocol';
import type { PresenceReader } from '../../realtime/presence-reader.ts';
import { atomDate } from '../atom-date.ts';
import { withPresence } from '../users/im-user-view.ts';
import { DEFAULT_STATUS, type UserStatusStore } from './user-status-store.ts';

/**
 * People as others see them right now: the status they chose, their automatic "away", and
 * presence (connected now, or when last). The user views of the methods people read
 * (`im.user.get`, the recent list, a history page's authors, a chat's members) go through it;
 * the events of the send path do not, so sending costs nothing more.
 */
export class LiveUserStatus {
  constructor(
    private readonly statuses: UserStatusStore,
    private readonly presence: PresenceReader,
  ) {}

  /** The views with their live status, in the same order; users of other portals are not looked up. */
  async decorate(portalId: number, views: readonly ImUserView[]): Promise<ImUserView[]> {
    return (await this.live(portalId, views)).map(({ view }) => view);
  }

  /** What the realtime `online`/`userStatus` command says of the user now. */
  async eventView(portalId: number, user: ImUserView): Promise<UserStatusView> {
    const [live] = await this.live(portalId, [user]);
    const view = live?.view ?? user;
    return {
      id: view.id,
      status: view.status,
      idle: view.idle,
      last_activity_date: view.last_activity_date,
      desktop_last_date: view.desktop_last_date,
      online: live?.online ?? false,
    };
  }

  private async live(portalId: number, views: readonly ImUserView[]): Promise<{ view: ImUserView; online: boolean }[]> {
    if (views.length === 0) return [];
    const ids = views.map((v) => v.id);
    const [chosen, presence] = await Promise.all([
      this.statuses.of(portalId, ids),
      this.presence.lastSeen(portalId, ids),
    ]);
    const now = this.presence.now();
    return views.map((user) => {
      const { status, idleSince } = chosen.get(user.id) ?? DEFAULT_STATUS;
      const seen = presence.get(user.id);
      const idle: string | false = idleSince ? atomDate(idleSince) : false;
      const view: ImUserView = { ...withPresence(user, seen, now), status, idle };
      return { view, online: seen?.online ?? false };
    });
  }

  /** Recent-list items whose one-to-one companion (`user`) carries the live status. */
  async decorateRecent<Item extends { user?: ImUserView }>(portalId: number, items: readonly Item[]): Promise<Item[]> {
    const users = await this.decorate(
      portalId,
      items.flatMap((item) => (item.user ? [item.user] : [])),
    );
    const byId = new Map(users.map((u) => [u.id, u]));
    return items.map((item) => (item.user ? { ...item, user: byId.get(item.user.id) ?? item.user } : item));
  }
}
