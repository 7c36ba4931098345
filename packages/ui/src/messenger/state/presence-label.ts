import { recentTime } from './recent-time.ts';

/**
 * Within this long of "last active", a person counts as online: the portal reports now while they
 * are connected, and the clocks of portal and reader may differ by a little.
 */
export const ONLINE_WITHIN_MS = 5 * 60_000;

/**
 * What the portal says of a person's presence and status (Bitrix24's user view): the status they
 * chose, when their automatic "away" began, and when they were last active. `online`, when
 * known, is what a live `online`/`userStatus` push said: it wins over the time window, so that
 * someone who just closed their last window shows offline at once.
 */
export interface PresenceFacts {
  status?: string | undefined;
  idle?: string | false | undefined;
  last_activity_date?: string | false | undefined;
  online?: boolean | undefined;
}

/** The dot beside a name: green online, orange away (chosen or idle), red do not disturb, none offline. */
export type PresenceKind = 'online' | 'away' | 'dnd' | 'offline';

/** What each kind is called where it is said in words (menus, a dot's label). */
export const PRESENCE_NAMES: Record<PresenceKind, string> = {
  online: 'Online',
  away: 'Away',
  dnd: 'Do not disturb',
  offline: 'Offline',
};

/**
 * What the header of a one-to-one dialog says of the other person, from Bitrix24's
 * `last_activity_date`: "online", "last seen 10:04" (or a day), or "offline" for someone the
 * portal has never seen connected: never "online" without a sign of life.
 */
export function presenceLabel(lastActivity: string | false | undefined, now: Date, locale?: string): string {
  if (!lastActivity) return 'offline';
  const date = new Date(lastActivity);
  if (Number.isNaN(date.getTime())) return 'offline';
  if (Math.abs(now.getTime() - date.getTime()) <= ONLINE_WITHIN_MS) return 'online';
  return `last seen ${recentTime(lastActivity, now, locale)}`;
}

function isConnected(facts: PresenceFacts, now: Date): boolean {
  if (facts.online !== undefined) return facts.online;
  return presenceLabel(facts.last_activity_date, now) === 'online';
}

/** Which dot a person gets: offline unless connected; then their chosen status, idle counting as away. */
export function presenceKind(facts: PresenceFacts | undefined, now: Date): PresenceKind {
  if (!facts || !isConnected(facts, now)) return 'offline';
  if (facts.status === 'dnd') return 'dnd';
  if (facts.status === 'away' || facts.idle) return 'away';
  return 'online';
}

/** The header's line: "do not disturb" or "away" while connected, else as {@link presenceLabel}. */
export function presenceText(facts: PresenceFacts, now: Date, locale?: string): string {
  const kind = presenceKind(facts, now);
  if (kind === 'dnd') return 'do not disturb';
  if (kind === 'away') return 'away';
  if (kind === 'online') return 'online';
  // Just went offline: the last activity is a moment ago, which the time window alone would call online.
  if (facts.online === false && presenceLabel(facts.last_activity_date, now) === 'online') return 'last seen just now';
  return presenceLabel(facts.last_activity_date, now, locale);
}
