import type { DialogId } from '../api/messenger-schemas.ts';

/** A "typing" signal counts this long; Bitrix24 clients repeat it while the user keeps typing. */
export const TYPING_SHOWN_MS = 15_000;
/** The user's own typing is announced at most this often. */
export const TYPING_ANNOUNCE_EVERY_MS = 5_000;

/** Who is typing in which dialog, forgetting each signal after `TYPING_SHOWN_MS`. */
export class TypingTracker {
  private readonly typing = new Map<DialogId, Map<number, { name: string; until: number }>>();

  constructor(private readonly now: () => number) {}

  started(dialogId: DialogId, userId: number, name: string): void {
    const users = this.typing.get(dialogId) ?? new Map();
    users.set(userId, { name, until: this.now() + TYPING_SHOWN_MS });
    this.typing.set(dialogId, users);
  }

  /** Their message arrived: they are no longer typing it. */
  stopped(dialogId: DialogId, userId: number): void {
    this.typing.get(dialogId)?.delete(userId);
  }

  namesIn(dialogId: DialogId): string[] {
    const now = this.now();
    return [...(this.typing.get(dialogId)?.values() ?? [])]
      .filter((entry) => entry.until > now)
      .map((entry) => entry.name);
  }
}

/** "Anna is typing…", "Anna and Boris are typing…", "Anna and 2 more are typing…". */
export function typingLabel(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]} and ${names.length - 1} more are typing…`;
}

/** Calls `announce` when the user types, but not more often than `TYPING_ANNOUNCE_EVERY_MS`. */
export class TypingAnnouncer {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly now: () => number,
    private readonly announce: () => void,
  ) {}

  typed(): void {
    const now = this.now();
    if (now - this.lastAt < TYPING_ANNOUNCE_EVERY_MS) return;
    this.lastAt = now;
    this.announce();
  }

  /** After sending, the next keystroke announces again at once. */
  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
