import type { Clock } from '../../clock/clock.ts';
import type { User } from '../user.ts';
import type { UserStore } from '../user-store.ts';

const MAX_ENTRIES = 10_000;

/**
 * The caller's own user record, remembered for a moment. The portal's UI and desktop ask
 * `user.current` often, and under session auth it would otherwise be the only query of the
 * call; a record at most `ttlMs` old is fine for showing a name. Who may call at all is decided
 * by the authenticators, never from here.
 */
export class RecentUserCache {
  private readonly entries = new Map<string, { user: User; at: number }>();

  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    private readonly ttlMs = 1_000,
  ) {}

  async get(portalId: number, userId: number): Promise<User | null> {
    const key = `${portalId}:${userId}`;
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.user;
    const user = await this.users.findById(portalId, userId);
    if (!user) {
      this.entries.delete(key);
      return null;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { user, at: now });
    return user;
  }
}
