import { recentTime } from './recent-time.ts';

/**
 * Within this long of "last active", a person counts as online: the portal reports now while they
 * are connected, and the clocks of portal and reader may differ by a little.
 */
export const ONLINE_WITHIN_MS = 5 * 60_000;

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
