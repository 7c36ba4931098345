import { USER_STATUS_EVENT, type UserStatus, UserStatusEventSchema } from '@portaldesk/protocol';
import { computed, ref } from 'vue';
import type { MessengerApi } from './api/messenger-api.ts';
import type { DialogUser } from './api/messenger-schemas.ts';
import { type PresenceFacts, type PresenceKind, presenceKind, presenceText } from './state/presence-label.ts';

/** Colleagues asked for at once when dots of people not yet heard of show up (a picker's worth). */
const ASK_AT_ONCE = 500;

/**
 * Everyone's status and presence as the reader last heard it: from the user views of REST
 * answers (the chat list, a history page, a dialog's person), from the live `online`/`userStatus`
 * pushes, and, for a dot of someone not heard of yet (a picker), from one `im.user.list.get`
 * for all such people together.
 */
export class PresenceBook {
  private readonly facts = ref<Record<number, PresenceFacts>>({});
  /** Bumped every few seconds: "online" turns into "last seen" with time alone. */
  private readonly clock = ref(0);
  private readonly asked = new Set<number>();
  private wanted: number[] = [];
  /** The reader as the portal shows them (name, avatar), once loaded. */
  readonly own = ref<DialogUser | null>(null);
  /** The status the reader chose ("online" until the portal says otherwise). */
  readonly ownStatus = computed<UserStatus>(() => {
    const status = this.facts.value[this.readerId]?.status;
    return status === 'away' || status === 'dnd' ? status : 'online';
  });

  constructor(
    private readonly api: MessengerApi,
    private readonly readerId: number,
    private readonly now: () => number,
  ) {}

  /** What a REST answer said of these people. */
  note(users: readonly DialogUser[]): void {
    for (const user of users) {
      // A user view of the send path carries no presence: it says nothing about it.
      if (user.status === undefined && user.last_activity_date === undefined) continue;
      const known = this.facts.value[user.id];
      // A push said they left; a REST answer with that same last activity knows no better.
      const stillGone = known?.online === false && known.last_activity_date === user.last_activity_date;
      this.facts.value[user.id] = {
        status: user.status,
        idle: user.idle,
        last_activity_date: user.last_activity_date,
        ...(stillGone ? { online: false } : {}),
      };
    }
  }

  /** Takes an `online`/`userStatus` push; false for any other command. */
  handlePush(command: string, params: unknown): boolean {
    if (command !== USER_STATUS_EVENT.command) return false;
    const parsed = UserStatusEventSchema.safeParse(params);
    if (!parsed.success) return true;
    for (const view of Object.values(parsed.data.users)) {
      this.facts.value[view.id] = {
        status: view.status,
        idle: view.idle,
        last_activity_date: view.last_activity_date,
        online: view.online,
      };
    }
    return true;
  }

  kindOf(userId: number): PresenceKind {
    void this.clock.value;
    const facts = this.facts.value[userId];
    if (!facts) this.ask(userId);
    // The reader is here, whatever the portal last said of them.
    return presenceKind(userId === this.readerId ? { ...facts, online: true } : facts, new Date(this.now()));
  }

  /** The header's line for a person; empty until something is known of them. */
  textOf(userId: number): string {
    void this.clock.value;
    const facts = this.facts.value[userId];
    return facts ? presenceText(facts, new Date(this.now())) : '';
  }

  async loadOwn(): Promise<void> {
    try {
      const own = await this.api.user(this.readerId);
      this.own.value = own;
      this.note([own]);
    } catch {
      // The menu shows "Online" until the portal answers.
    }
  }

  async setOwn(status: UserStatus): Promise<boolean> {
    try {
      await this.api.setStatus(status);
    } catch {
      return false;
    }
    this.facts.value[this.readerId] = { ...this.facts.value[this.readerId], status };
    return true;
  }

  tick(): void {
    this.clock.value++;
  }

  /** Gathers the ids asked for while a screen renders, then asks the portal once. */
  private ask(userId: number): void {
    if (this.asked.has(userId)) return;
    this.asked.add(userId);
    this.wanted.push(userId);
    if (this.wanted.length === 1) setTimeout(() => void this.loadWanted(), 0);
  }

  private async loadWanted(): Promise<void> {
    const ids = this.wanted.splice(0, ASK_AT_ONCE);
    if (this.wanted.length > 0) setTimeout(() => void this.loadWanted(), 0);
    try {
      this.note(await this.api.people(ids));
    } catch {
      // Asked again the next time their dot shows.
      for (const id of ids) this.asked.delete(id);
    }
  }
}
